namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// The original's private keyring manifest (endoreg-db <c>config/secret_keyring.py</c>, <c>schema_version: 1</c>): paths of
/// the active secret file and of up to eight retiring ones; the manifest itself holds no secret.
/// </summary>
/// <param name="AllowLegacyDefaultSalt">Identity keyrings only: a retiring generation may be the literal <c>default_salt</c>.</param>
internal sealed record KeyringManifest(string Active, IReadOnlyList<string> Retiring, bool AllowLegacyDefaultSalt)
{
    public const int MaxRetiring = 8;
}
