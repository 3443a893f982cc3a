using LxAnnotate.Hub.Authentication;

namespace LxAnnotate.Hub.Enrollment;

/// <summary>What the hub signs node certificates with: the node CA certificate and its key (both PEM files).</summary>
internal sealed record NodeSigningSettings(string? CaFile, string? CaKeyFile, int CertificateDays)
{
    public static NodeSigningSettings From(NodeCertificateOptions hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return new NodeSigningSettings(hub.NodeCaFile, hub.NodeCaKeyFile, hub.NodeCertificateDays);
    }
}
