namespace LxAnnotate.Hub.Authentication;

/// <summary>Claims the certificate handler puts on an authenticated node.</summary>
internal static class NodeClaimTypes
{
    public const string NodeKey = "lxa:node_key";
    public const string CenterKey = "lxa:center_key";
    public const string Thumbprint = "lxa:cert_sha256";
}
