namespace LxAnnotate.Hub.Ingest;

public static class StorageClasses
{
    /// <summary>Plaintext file on the operator's encrypted filesystem (large media).</summary>
    public const string Managed = "managed";

    /// <summary>LXENC01 file encrypted by the application (reports, text exports, metadata bundles, sidecars).</summary>
    public const string Encrypted = "encrypted";

    public static bool IsKnown(string storageClass) => storageClass is Managed or Encrypted;

    /// <summary>
    /// Content types stored in the <see cref="Encrypted"/> class whenever a master key is configured: small,
    /// high-sensitivity documents. Videos stay <see cref="Managed"/> plaintext on the encrypted filesystem.
    /// </summary>
    public static bool IsSensitiveContentType(string contentType) =>
        contentType.StartsWith("text/", StringComparison.Ordinal)
        || contentType is "application/pdf" or "application/json" or "application/xml"
        || contentType.EndsWith("+json", StringComparison.Ordinal)
        || contentType.EndsWith("+xml", StringComparison.Ordinal);

    /// <summary>The class an artifact is stored in: the requested one, raised to encrypted for sensitive types when a key is configured.</summary>
    /// <returns>The class, or null when encrypted storage is requested but no master key is configured.</returns>
    public static string? Decide(string requested, string contentType, bool keyConfigured)
    {
        if (string.Equals(requested, Encrypted, StringComparison.Ordinal))
        {
            return keyConfigured ? Encrypted : null;
        }

        return keyConfigured && IsSensitiveContentType(contentType) ? Encrypted : requested;
    }
}
