using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary><c>certs-dev/generate.sh</c>, run for real with openssl; its output loaded and checked with .NET.</summary>
public sealed class DevCertificatesTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private const string NistP256 = "1.2.840.10045.3.1.7";
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string Script => Path.Combine(Binaries.RepositoryRoot, "certs-dev", "generate.sh");

    [Fact]
    public async Task Generate_HubNamesAndNodes_MakesCaHubAndNodeCertificatesThatChain()
    {
        using var dir = new TempDirectory();
        var result = await GenerateAsync(dir.Path, "--hub-name", "hub.example.org", "--hub-name", "10.20.30.40", "--node", "site-a", "--node", "site_b");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("made  node-ca.key.pem", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("made  nodes/site_b.crt.pem", result.StandardOutput, StringComparison.Ordinal);

        using var ca = LoadWithKey(dir.Path, "node-ca");
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(ca.SubjectName.RawData, ca.IssuerName.RawData);
        AssertEcdsaP256Sha256(ca);
        Assert.InRange((ca.NotAfter - ca.NotBefore).TotalDays, 3649, 3651);

        using var hub = LoadWithKey(dir.Path, "hub");
        AssertIssuedBy(ca, hub);
        Assert.Equal([ServerAuth], Ekus(hub));
        var san = Assert.Single(hub.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["localhost", "hub.example.org"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.20.30.40")], san.EnumerateIPAddresses());
        Assert.InRange((hub.NotAfter - hub.NotBefore).TotalDays, 824, 826);

        foreach (var node in new[] { "site-a", "site_b" })
        {
            using var certificate = LoadWithKey(Path.Combine(dir.Path, "nodes"), node);
            AssertIssuedBy(ca, certificate);
            Assert.Equal([ClientAuth], Ekus(certificate));
            Assert.Equal($"CN={node}", certificate.Subject);
            Assert.Equal([$"urn:lxannotate:node:{node}"], SanUris(certificate));
            Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        }

        foreach (var key in new[] { "node-ca.key.pem", "hub.key.pem", "nodes/site-a.key.pem", "nodes/site_b.key.pem" })
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(dir.Path, key)));
        }
    }

    [Fact]
    public async Task Generate_Rerun_KeepsEveryFileAndOnlyAddsNewNodes()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await GenerateAsync(dir.Path, "--node", "site-a")).ExitCode);
        var before = Snapshot(dir.Path);

        var rerun = await GenerateAsync(dir.Path, "--node", "site-a", "--node", "site-b");

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        var after = Snapshot(dir.Path);
        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, after[file]);
        }

        Assert.Contains("kept  node-ca.key.pem", rerun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("kept  nodes/site-a.crt.pem", rerun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("made  nodes/site-b.crt.pem", rerun.StandardOutput, StringComparison.Ordinal);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir.Path, "node-ca.crt.pem"));
        using var siteB = LoadWithKey(Path.Combine(dir.Path, "nodes"), "site-b");
        AssertIssuedBy(ca, siteB);
    }

    [Fact]
    public async Task Generate_Force_ReplacesCaHubAndEveryNodeCertificate()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await GenerateAsync(dir.Path, "--node", "site-a")).ExitCode);
        var before = Snapshot(dir.Path);

        var forced = await GenerateAsync(dir.Path, "--force");

        Assert.True(forced.ExitCode == 0, forced.StandardError);
        var after = Snapshot(dir.Path);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, bytes) in before)
        {
            Assert.NotEqual(bytes, after[file]);
        }

        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir.Path, "node-ca.crt.pem"));
        using var siteA = LoadWithKey(Path.Combine(dir.Path, "nodes"), "site-a");
        AssertIssuedBy(ca, siteA);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "nodes", "site-a.key.pem")));
    }

    [Fact]
    public async Task Generate_CertDaysFromEnvironment_SetsLeafValidity()
    {
        using var dir = new TempDirectory();

        var result = await GenerateAsync(dir.Path, new Dictionary<string, string?> { ["LXA_DEV_CERT_DAYS"] = "30" }, "--node", "site-a");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var node = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir.Path, "nodes", "site-a.crt.pem"));
        Assert.InRange((node.NotAfter - node.NotBefore).TotalDays, 29.9, 30.1);
    }

    [Theory]
    [InlineData("--node", "Site-A")]
    [InlineData("--node", "-site")]
    [InlineData("--node", "../evil")]
    [InlineData("--hub-name", "hub.example.org,DNS:evil.example")]
    [InlineData("--bogus")]
    public async Task Generate_InvalidArgument_FailsWithoutWritingAnything(params string[] args)
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");

        var result = await GenerateAsync(output, args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("generate.sh: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private static Task<ProcessResult> GenerateAsync(string output, params string[] args) =>
        GenerateAsync(output, new Dictionary<string, string?>(), args);

    private static Task<ProcessResult> GenerateAsync(string output, Dictionary<string, string?> environment, params string[] args)
    {
        // A developer's own setting must not change what the test expects.
        environment.TryAdd("LXA_DEV_CERT_DAYS", null);
        return ProcessRunner.RunAsync("bash", [Script, "--out", output, .. args], environment);
    }

    private static X509Certificate2 LoadWithKey(string dir, string name)
    {
        // CreateFromPemFile fails when the key does not belong to the certificate.
        using var pair = X509Certificate2.CreateFromPemFile(Path.Combine(dir, name + ".crt.pem"), Path.Combine(dir, name + ".key.pem"));
        Assert.True(pair.HasPrivateKey);
        return X509CertificateLoader.LoadCertificate(pair.RawData);
    }

    private static void AssertIssuedBy(X509Certificate2 ca, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(ca.RawData, chain.ChainElements[^1].Certificate.RawData);
        AssertEcdsaP256Sha256(certificate);
    }

    private static void AssertEcdsaP256Sha256(X509Certificate2 certificate)
    {
        Assert.Equal(EcdsaWithSha256, certificate.SignatureAlgorithm.Value);
        using var key = certificate.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(NistP256, key.ExportParameters(false).Curve.Oid.Value);
    }

    private static List<string> Ekus(X509Certificate2 certificate) =>
        Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToList();

    private static List<string> SanUris(X509Certificate2 certificate)
    {
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        var names = new AsnReader(Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()).RawData, AsnEncodingRules.DER).ReadSequence();
        var uris = new List<string>();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(uriTag))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes, StringComparer.Ordinal);
}
