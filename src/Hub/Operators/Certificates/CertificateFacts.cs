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
    DateTimeOffset NotAfter);
