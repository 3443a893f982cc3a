namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// A header name given the original's way. endoreg-db reads the proxy attestation from Django's
/// <c>request.META</c>, where a header <c>X-Client-Cert-Verified</c> is the key <c>HTTP_X_CLIENT_CERT_VERIFIED</c>,
/// and its env files say <c>ENDOREG_HUB_TRANSFER_MTLS_META_KEY=HTTP_X_CLIENT_CERT_VERIFIED</c>. That form is turned
/// back into the header name; a value without the <c>HTTP_</c> prefix already is one and stays as it is.
/// </summary>
internal static class ProxyHeaderName
{
    private const string MetaPrefix = "HTTP_";

    public static string? FromSetting(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (!value.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase) || value.Length == MetaPrefix.Length || value.Contains('-', StringComparison.Ordinal))
        {
            return value;
        }

        // Django upper-cases the name and turns '-' into '_'; header names compare case-insensitively.
        var words = value[MetaPrefix.Length..].Split('_', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('-', words.Select(w => string.Concat(w[..1].ToUpperInvariant(), w[1..].ToLowerInvariant())));
    }
}
