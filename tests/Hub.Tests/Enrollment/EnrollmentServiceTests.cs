using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Enrollment;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Enrollment;

/// <summary>Tokens from <see cref="EnrollmentTokenOperations"/> and certificates from <see cref="EnrollmentService"/> on SQLite and PostgreSQL.</summary>
public sealed class EnrollmentServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CreateEnrollmentTokenAsync_NewNode_AddsNodeAndStoresOnlyTheHash(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");

        var view = await h.RunAsync(s => s.CreateEnrollmentTokenAsync("site-a", "center-a", TimeSpan.FromHours(2), "alice", None));

        Assert.True(view.NodeCreated);
        Assert.Equal(h.Clock.Now.AddHours(2), view.ExpiresAt);
        Assert.Equal(43, view.Token.Length);
        Assert.True(view.Token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), "URL-safe base64 without padding");
        var stored = await h.WithDbAsync(db => db.EnrollmentTokens.Include(t => t.Node).SingleAsync());
        Assert.Equal(("site-a", "alice", (DateTimeOffset?)null), (stored.Node!.NodeKey, stored.CreatedBy, stored.UsedAt));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(view.Token))), stored.TokenHash);
        Assert.Equal(["center_added", "node_added", "node_enrollment_token_created"], (await h.AuditEventsAsync()).Select(a => a.Action));
        Assert.DoesNotContain(h.AuditLines, l => l.Message.Contains(view.Token, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CreateEnrollmentTokenAsync_NodeOfAnotherCenter_Refused(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddCenterAsync("center-b");
        await h.AddNodeAsync("site-a", "center-a");

        var refusal = await h.RefusedAsync(s => s.CreateEnrollmentTokenAsync("site-a", "center-b", TimeSpan.FromHours(1), "alice", None));

        Assert.Equal(OperatorErrorKind.NodeInOtherCenter, refusal.Kind);
        Assert.Equal(0, await h.WithDbAsync(db => db.EnrollmentTokens.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EnrollAsync_ValidToken_IssuesRegisteredClientCertificateAndSpendsToken(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        var token = await TokenAsync(h, "site-a");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var issued = await h.EnrollmentAsync(s => s.EnrollAsync(token, Csr(key, "site-a"), None));

        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.Equal("CN=site-a", certificate.Subject);
        Assert.Equal(["site-a"], NodeCertificateInspector.NodeKeysNamedIn(certificate));
        Assert.True(LxAnnotate.Hub.Authentication.NodeCertificateAuthentication.HasClientAuthenticationEku(certificate));
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(h.Clock.Now.AddMinutes(-5), new DateTimeOffset(certificate.NotBefore.ToUniversalTime()));
        Assert.True(h.Pki.Validates(certificate));
        var registered = await h.WithDbAsync(db => db.NodeCertificates.Include(c => c.Node).SingleAsync());
        Assert.Equal(("site-a", issued.Thumbprint, NodeCertificateStatus.Active), (registered.Node!.NodeKey, registered.ThumbprintSha256, registered.Status));
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), issued.Thumbprint);
        Assert.Equal(h.Clock.Now, (await h.WithDbAsync(db => db.EnrollmentTokens.SingleAsync())).UsedAt);
        var audit = (await h.AuditEventsAsync()).Last();
        Assert.Equal(("node:site-a", "node_certificate_issued"), (audit.Actor, audit.Action));
        Assert.DoesNotContain(token, audit.Details, StringComparison.Ordinal);

        var again = await Assert.ThrowsAsync<EnrollmentException>(() => h.EnrollmentAsync(s => s.EnrollAsync(token, Csr(key, "site-a"), None)));
        Assert.Equal((EnrollmentErrorKind.InvalidToken, "the enrollment token has already been used"), (again.Kind, again.Message));
        Assert.Equal(1, await h.WithDbAsync(db => db.NodeCertificates.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EnrollAsync_ExpiredOrUnknownToken_Refused(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        var token = await TokenAsync(h, "site-a");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        h.Clock.Advance(TimeSpan.FromHours(1));

        var expired = await Assert.ThrowsAsync<EnrollmentException>(() => h.EnrollmentAsync(s => s.EnrollAsync(token, Csr(key, "site-a"), None)));
        var unknown = await Assert.ThrowsAsync<EnrollmentException>(() => h.EnrollmentAsync(s => s.EnrollAsync(token + "x", Csr(key, "site-a"), None)));

        Assert.Equal(EnrollmentErrorKind.InvalidToken, expired.Kind);
        Assert.StartsWith("the enrollment token has expired", expired.Message, StringComparison.Ordinal);
        Assert.Equal((EnrollmentErrorKind.InvalidToken, "the enrollment token is not valid"), (unknown.Kind, unknown.Message));
        Assert.Equal(0, await h.WithDbAsync(db => db.NodeCertificates.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EnrollAsync_ConcurrentUsesOfOneToken_ExactlyOneCertificate(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        var token = await TokenAsync(h, "site-a");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = Csr(key, "site-a");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                await h.EnrollmentAsync(s => s.EnrollAsync(token, csr, None));
                return true;
            }
            catch (EnrollmentException ex) when (ex.Kind == EnrollmentErrorKind.InvalidToken)
            {
                return false;
            }
            catch (DbUpdateException)
            {
                // SQLite: a writer that loses the database lock fails instead of waiting; nothing was registered.
                return false;
            }
        })));

        Assert.Equal(1, attempts.Count(a => a));
        Assert.Equal(1, await h.WithDbAsync(db => db.NodeCertificates.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EnrollAsync_BadRequests_RefusedWithoutSpendingToken(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        var token = await TokenAsync(h, "site-a");
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var weak = RSA.Create(1024);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var tampered = Tamper(Csr(ec, "site-a"));

        var otherNode = await RefusedAsync(h, token, Csr(ec, "site-b"));
        var otherSan = await RefusedAsync(h, token, Csr(ec, "site-a", sanNode: "site-b"));
        var weakKey = await RefusedAsync(h, token, Csr(weak, "site-a"));
        var unsupported = await RefusedAsync(h, token, Csr(p521, "site-a"));
        var badSignature = await RefusedAsync(h, token, tampered);
        var garbage = await RefusedAsync(h, token, "not a csr");

        Assert.Equal(EnrollmentErrorKind.WrongNode, otherNode.Kind);
        Assert.Equal(EnrollmentErrorKind.WrongNode, otherSan.Kind);
        Assert.Equal(EnrollmentErrorKind.InvalidRequest, weakKey.Kind);
        Assert.Contains("RSA 1024 bits", weakKey.Message, StringComparison.Ordinal);
        Assert.Equal(EnrollmentErrorKind.InvalidRequest, unsupported.Kind);
        Assert.Equal("the certificate signing request's signature does not verify", badSignature.Message);
        Assert.Equal(EnrollmentErrorKind.InvalidRequest, garbage.Kind);
        Assert.Equal(0, await h.WithDbAsync(db => db.NodeCertificates.CountAsync()));
        Assert.Null((await h.WithDbAsync(db => db.EnrollmentTokens.SingleAsync())).UsedAt);

        using var strong = RSA.Create(2048);
        var issued = await h.EnrollmentAsync(s => s.EnrollAsync(token, Csr(strong, "site-a"), None));
        Assert.Equal("site-a", issued.NodeKey);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EnrollAsync_NoCaKeyConfigured_NotConfigured(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        var token = await TokenAsync(h, "site-a");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var refusal = await Assert.ThrowsAsync<EnrollmentException>(() => h.EnrollmentAsync(s => s.EnrollAsync(token, Csr(key, "site-a"), None), withCaKey: false));

        Assert.Equal(EnrollmentErrorKind.NotConfigured, refusal.Kind);
        Assert.Contains("LXA_HUB_NODE_CA_KEY_FILE", refusal.Message, StringComparison.Ordinal);
        Assert.Null((await h.WithDbAsync(db => db.EnrollmentTokens.SingleAsync())).UsedAt);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RenewAsync_CsrForCallerOrAnotherNode_IssuesOnlyForCaller(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await TokenAsync(h, "site-a");
        await h.RunAsync(s => s.CreateEnrollmentTokenAsync("site-b", "center-a", TimeSpan.FromHours(1), "alice", None));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forOther = await Assert.ThrowsAsync<EnrollmentException>(() => h.EnrollmentAsync(s => s.RenewAsync("site-a", "AB", Csr(key, "site-b"), None)));
        var renewed = await h.EnrollmentAsync(s => s.RenewAsync("site-a", "AB", Csr(key, "site-a"), None));

        Assert.Equal(EnrollmentErrorKind.WrongNode, forOther.Kind);
        Assert.Equal("site-a", renewed.NodeKey);
        var certificates = await h.WithDbAsync(db => db.NodeCertificates.Include(c => c.Node).ToListAsync());
        Assert.Equal("site-a", Assert.Single(certificates).Node!.NodeKey);
    }

    private static async Task<string> TokenAsync(OperatorHarness h, string nodeKey)
    {
        if (!await h.WithDbAsync(db => db.Centers.AnyAsync()))
        {
            await h.AddCenterAsync("center-a");
        }

        return (await h.RunAsync(s => s.CreateEnrollmentTokenAsync(nodeKey, "center-a", TimeSpan.FromMinutes(30), "alice", None))).Token;
    }

    private static async Task<EnrollmentException> RefusedAsync(OperatorHarness h, string token, string csr) =>
        await Assert.ThrowsAsync<EnrollmentException>(() => h.EnrollmentAsync(s => s.EnrollAsync(token, csr, None)));

    private static string Csr(AsymmetricAlgorithm key, string commonName, string? sanNode = null)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest($"CN={commonName}", ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        if (sanNode is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri("urn:lxannotate:node:" + sanNode));
            request.CertificateExtensions.Add(san.Build());
        }

        return request.CreateSigningRequestPem();
    }

    /// <summary>The same CSR with one bit of its signature flipped.</summary>
    private static string Tamper(string pem)
    {
        var der = PemEncoding.Find(pem) is var fields ? Convert.FromBase64String(pem[fields.Base64Data]) : [];
        der[^1] ^= 0x01;
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }
}
