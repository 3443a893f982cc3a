namespace LxAnnotate.Hub.Operators;

/// <summary>The facts of a certificate that passed <see cref="NodeCertificateInspector"/>.</summary>
internal sealed record InspectedCertificate(
    string Thumbprint,
    string SerialNumber,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter);
