using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Operators.Certificates;

/// <summary>
/// The one place a <see cref="NodeCertificate"/> row is made, whether an operator registers the certificate
/// (<c>nodes cert add</c>) or the hub issues it (enroll, renew): both start active and authenticate at once.
/// </summary>
internal static class NodeCertificateRows
{
    /// <summary>The caller attaches the row to its node (navigation or <see cref="NodeCertificate.NodeId"/>).</summary>
    public static NodeCertificate Active(CertificateFacts facts, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new NodeCertificate
        {
            ThumbprintSha256 = facts.Thumbprint,
            SerialNumber = facts.SerialNumber,
            Subject = facts.Subject,
            NotBefore = facts.NotBefore,
            NotAfter = facts.NotAfter,
            Status = NodeCertificateStatus.Active,
            CreatedAt = createdAt,
        };
    }
}
