using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Authentication;

namespace LxAnnotate.Hub.Operators.Certificates;

/// <summary>
/// The facts a <see cref="Domain.NodeCertificate"/> row is made of: of a certificate that passed
/// <see cref="NodeCertificateInspector"/>, or of one the hub issued at enrollment.
/// </summary>
internal sealed record CertificateFacts(
    string Thumbprint,
    string SerialNumber,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter)
{
    /// <summary>The facts as <paramref name="certificate"/> states them (validity in UTC); nothing is checked here.</summary>
    public static CertificateFacts Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateFacts(
            NodeCertificateAuthentication.Sha256Thumbprint(certificate),
            certificate.SerialNumber,
            certificate.Subject,
            Utc(certificate.NotBefore),
            Utc(certificate.NotAfter));
    }

    private static DateTimeOffset Utc(DateTime local) => new(local.ToUniversalTime(), TimeSpan.Zero);
}
