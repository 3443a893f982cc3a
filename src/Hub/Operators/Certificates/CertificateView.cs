using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Operators.Certificates;

/// <summary>A node certificate as operators see it; <see cref="Status"/> is a <see cref="CertificateDisplayStatus"/> value.</summary>
internal sealed record CertificateView(
    string NodeKey,
    string Thumbprint,
    string SerialNumber,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Status,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    DateTimeOffset CreatedAt)
{
    public static CertificateView From(string nodeKey, NodeCertificate certificate, DateTimeOffset now) => new(
        nodeKey,
        certificate.ThumbprintSha256,
        certificate.SerialNumber,
        certificate.Subject,
        certificate.NotBefore,
        certificate.NotAfter,
        CertificateDisplayStatus.Of(certificate, now),
        certificate.RevokedAt,
        certificate.RevocationReason,
        certificate.CreatedAt);

    /// <summary>Newest expiry first: during a rotation the certificate that replaces the old one leads.</summary>
    public static IReadOnlyList<CertificateView> ListOf(string nodeKey, IEnumerable<NodeCertificate> certificates, DateTimeOffset now) =>
        certificates
            .OrderByDescending(c => c.NotAfter)
            .ThenBy(c => c.ThumbprintSha256, StringComparer.Ordinal)
            .Select(c => From(nodeKey, c, now))
            .ToList();
}
