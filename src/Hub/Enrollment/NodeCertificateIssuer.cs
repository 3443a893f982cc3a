using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Enrollment;

/// <summary>
/// Builds and signs a node certificate with the node CA. Every extension comes from the hub, none from the
/// request: a node cannot ask for a CA flag, another usage or another name.
/// </summary>
internal static class NodeCertificateIssuer
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Backdated a little so a node whose clock runs slightly behind can use the certificate at once.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Loads the node CA with its private key; <see cref="EnrollmentErrorKind.NotConfigured"/> without a key file.</summary>
    public static X509Certificate2 LoadCa(NodeSigningSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.CaFile is null || settings.CaKeyFile is null)
        {
            throw new EnrollmentException(EnrollmentErrorKind.NotConfigured,
                "this hub does not issue node certificates: LXA_HUB_NODE_CA_KEY_FILE is not configured; ask the operator to register a certificate with 'lxa-hub nodes cert add'");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(settings.CaFile, settings.CaKeyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new EnrollmentException(EnrollmentErrorKind.NotConfigured, "the hub cannot read its node CA certificate and key");
        }
    }

    public static X509Certificate2 Issue(X509Certificate2 ca, PublicKey publicKey, string nodeKey, int days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(publicKey);

        var caNotBefore = new DateTimeOffset(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var caNotAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = Max(now - ClockSkew, caNotBefore);
        var notAfter = Min(now.AddDays(days), caNotAfter);
        if (notAfter <= now)
        {
            throw new EnrollmentException(EnrollmentErrorKind.NotIssuable, "the hub's node CA has expired; it cannot issue certificates");
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(nodeKey);
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthenticationOid)], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(NodeKeys.ToUri(nodeKey));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        if (ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        }

        // Random, positive, 128 bits: serials must be unpredictable and never repeat under one CA.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);

        using var ecdsa = ca.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? ca.GetRSAPrivateKey() : null;
        var generator = ecdsa is not null ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : throw new EnrollmentException(EnrollmentErrorKind.NotConfigured, "the node CA key is neither ECDSA nor RSA");
        return request.Create(ca.SubjectName, generator, notBefore, notAfter, serial);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
