using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LxAnnotate.TestSupport;

/// <summary>
/// A throwaway PKI made at test time with the .NET certificate API: a node CA, a hub server certificate
/// and node client certificates (good ones and deliberately bad ones). Nothing is written outside the
/// directory the caller gives.
/// </summary>
public sealed class TestPki : IDisposable
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private readonly ECDsa caKey;

    public TestPki(string commonName = "LxAnnotate Test Node CA")
    {
        caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Ca { get; }

    /// <summary>Hub server certificate for localhost, 127.0.0.1 and ::1.</summary>
    public X509Certificate2 IssueServer()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        return Issue("CN=localhost", [ServerAuthOid], san.Build(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>Node client certificate; <paramref name="ekuOid"/> and the validity window can be made wrong on purpose.</summary>
    public X509Certificate2 IssueNode(string nodeKey, string ekuOid = ClientAuthOid, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri($"urn:lxannotate:node:{nodeKey}"));
        return Issue($"CN={nodeKey}", [ekuOid], san.Build(), notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
    }

    public static string ServerAuthEku => ServerAuthOid;

    /// <summary>Writes certificate and key as PEM files and returns their paths.</summary>
    public static (string CertificateFile, string KeyFile) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var certificateFile = Path.Combine(directory, name + ".crt.pem");
        var keyFile = Path.Combine(directory, name + ".key.pem");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("No private key.");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certificateFile, keyFile);
    }

    public string WriteCaPem(string directory)
    {
        var path = Path.Combine(directory, "node-ca.crt.pem");
        File.WriteAllText(path, Ca.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes the CA's private key (PKCS#8 PEM, mode 0600), as an operator gives it to a hub that signs node certificates.</summary>
    public string WriteCaKeyPem(string directory)
    {
        var path = Path.Combine(directory, "node-ca.key.pem");
        File.WriteAllText(path, caKey.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA (for validating the hub's server certificate in clients).</summary>
    public bool Validates(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Ca.Dispose();
        caKey.Dispose();
    }

    private X509Certificate2 Issue(string subject, string[] ekus, X509Extension san, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        foreach (var eku in ekus)
        {
            usages.Add(new Oid(eku));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(san);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;

        // The CA's validity bounds the leaf's; keep "expired" leaves inside it by moving notBefore too.
        using var issued = request.Create(Ca, notBefore < Ca.NotBefore ? Ca.NotBefore : notBefore, notAfter, serial);

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
