using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Operators;

/// <summary>
/// What a certificate means for a node right now. The database keeps only active/revoked; whether an
/// active certificate still authenticates depends on the clock, which is what an operator needs to see.
/// Beside the certificate views, <c>/readyz</c> counts expiring certificates with the same window.
/// </summary>
internal static class CertificateDisplayStatus
{
    public const string Active = "active";
    public const string Expiring = "expiring";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string Revoked = "revoked";

    /// <summary>Active certificates that end within this window are reported as <see cref="Expiring"/>.</summary>
    public static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(30);

    public static string Of(NodeCertificate certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        if (certificate.Status == NodeCertificateStatus.Revoked)
        {
            return Revoked;
        }

        if (certificate.NotAfter <= now)
        {
            return Expired;
        }

        if (certificate.NotBefore > now)
        {
            return NotYetValid;
        }

        return certificate.NotAfter - now <= ExpiringWindow ? Expiring : Active;
    }
}
