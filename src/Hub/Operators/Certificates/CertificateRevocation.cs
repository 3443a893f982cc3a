namespace LxAnnotate.Hub.Operators.Certificates;

/// <summary>Result of a revoke; <see cref="Changed"/> is false when the certificate already was revoked.</summary>
internal sealed record CertificateRevocation(CertificateView Certificate, bool Changed);
