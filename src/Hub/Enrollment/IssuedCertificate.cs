namespace LxAnnotate.Hub.Enrollment;

/// <summary>A node certificate the hub signed and registered.</summary>
internal sealed record IssuedCertificate(string NodeKey, string Thumbprint, string CertificatePem, string CaPem, DateTimeOffset NotAfter);
