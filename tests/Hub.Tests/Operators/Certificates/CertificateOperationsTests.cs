using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Operators.Certificates;

public sealed class CertificateOperationsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_FromNodeCa_StoresThumbprintSerialSubjectAndValidity(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        using var certificate = h.IssueNode("site-a");

        var view = await h.AddCertificateAsync("site-a", certificate);

        var thumbprint = NodeCertificateAuthentication.Sha256Thumbprint(certificate);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), thumbprint);
        Assert.Equal(thumbprint, view.Thumbprint);
        Assert.Equal("active", view.Status);
        var stored = await h.WithDbAsync(db => db.NodeCertificates.Include(c => c.Node).SingleAsync());
        Assert.Equal("site-a", stored.Node!.NodeKey);
        Assert.Equal(thumbprint, stored.ThumbprintSha256);
        Assert.Equal(certificate.SerialNumber, stored.SerialNumber);
        Assert.Equal("CN=site-a", stored.Subject);
        Assert.Equal(certificate.NotBefore.ToUniversalTime(), stored.NotBefore.UtcDateTime);
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), stored.NotAfter.UtcDateTime);
        Assert.Equal(NodeCertificateStatus.Active, stored.Status);
        Assert.Null(stored.RevokedAt);
        var audit = (await h.AuditEventsAsync()).Last();
        Assert.Equal(("node_certificate_added", "node:site-a"), (audit.Action, audit.Target));
        using var details = JsonDocument.Parse(audit.Details);
        Assert.Equal(thumbprint, details.RootElement.GetProperty("thumbprint").GetString());
        Assert.Equal(certificate.SerialNumber, details.RootElement.GetProperty("serial_number").GetString());
        Assert.Contains(h.AuditLines, l => l.Message.Contains("audit node_certificate_added", StringComparison.Ordinal) && l.Message.Contains(thumbprint, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_SecondCertificate_BothStayActiveForRotation(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");

        var first = await h.AddCertificateAsync("site-a", h.IssueNode("site-a"));
        var second = await h.AddCertificateAsync("site-a", h.IssueNode("site-a"));

        var listed = await h.RunAsync(s => s.ListCertificatesAsync("site-a", None));
        Assert.Equal(2, listed.Count);
        Assert.All(listed, c => Assert.Equal("active", c.Status));
        Assert.Equal(
            new[] { first.Thumbprint, second.Thumbprint }.Order(StringComparer.Ordinal),
            listed.Select(c => c.Thumbprint).Order(StringComparer.Ordinal));
        Assert.Equal(2, await h.WithDbAsync(db => db.NodeCertificates.CountAsync(c => c.Status == NodeCertificateStatus.Active)));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_FromAnotherCa_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        using var otherPki = new TestPki("Some Other CA");

        var refusal = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", h.WritePem(otherPki.IssueNode("site-a")), "dave", None));

        Assert.Equal(OperatorErrorKind.CertificateNotFromNodeCa, refusal.Kind);
        Assert.Contains("is not signed by the node CA", refusal.Message, StringComparison.Ordinal);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_WithoutClientAuthEku_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");

        var refusal = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", h.WritePem(h.Pki.IssueNode("site-a", TestPki.ServerAuthEku)), "dave", None));

        Assert.Equal(OperatorErrorKind.CertificateWithoutClientAuth, refusal.Kind);
        Assert.Contains("client-authentication", refusal.Message, StringComparison.Ordinal);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_Expired_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        var expired = h.Pki.IssueNode("site-a", notAfter: h.Clock.Now.AddHours(-1));

        var refusal = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", h.WritePem(expired), "dave", None));

        Assert.Equal(OperatorErrorKind.CertificateExpired, refusal.Kind);
        Assert.Contains("expired on", refusal.Message, StringComparison.Ordinal);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_SameCertificateTwice_RefusesNamingTheHolder(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        await h.AddNodeAsync("site-b", "center-a");
        using var certificate = h.IssueNode("site-a");
        var file = h.WritePem(certificate);
        await h.RunAsync(s => s.AddCertificateAsync("site-a", file, "dave", None));

        var again = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", file, "dave", None));

        Assert.Equal(OperatorErrorKind.DuplicateCertificate, again.Kind);
        Assert.Equal($"certificate {NodeCertificateAuthentication.Sha256Thumbprint(certificate)} is already registered to node 'site-a'", again.Message);
        Assert.Equal(1, await h.WithDbAsync(db => db.NodeCertificates.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_CertificateNamingAnotherNode_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");

        var refusal = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", h.WritePem(h.IssueNode("site-b")), "dave", None));

        Assert.Equal(OperatorErrorKind.CertificateForOtherNode, refusal.Kind);
        Assert.Contains("issued to node 'site-b', not 'site-a'", refusal.Message, StringComparison.Ordinal);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_TheCaCertificateItself_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");

        var refusal = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", h.WritePem(h.Pki.Ca), "dave", None));

        Assert.Equal(OperatorErrorKind.CertificateIsCa, refusal.Kind);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_MissingOrNonPemFile_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        var notPem = h.Files.Combine("key-only.pem");
        await File.WriteAllTextAsync(notPem, "-----BEGIN PRIVATE KEY-----\nMA==\n-----END PRIVATE KEY-----\n");

        var missing = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", h.Files.Combine("absent.pem"), "dave", None));
        var keyOnly = await h.RefusedAsync(s => s.AddCertificateAsync("site-a", notPem, "dave", None));

        Assert.Equal(OperatorErrorKind.CertificateUnreadable, missing.Kind);
        Assert.EndsWith("absent.pem' does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal(OperatorErrorKind.CertificateUnreadable, keyOnly.Kind);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_UnknownNode_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var refusal = await h.RefusedAsync(s => s.AddCertificateAsync("site-x", h.WritePem(h.IssueNode("site-x")), "dave", None));

        Assert.Equal(OperatorErrorKind.UnknownNode, refusal.Kind);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCertificateAsync_NodeCaNotConfigured_IsConfigurationErrorNamingTheVariable(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind, nodeCaConfigured: false);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");

        var error = await Assert.ThrowsAsync<ConfigurationContractException>(() =>
            h.RunAsync(s => s.AddCertificateAsync("site-a", h.WritePem(h.IssueNode("site-a")), "dave", None)));

        Assert.Equal("LXA_HUB_NODE_CA_FILE", error.VariableName);
        Assert.StartsWith("LXA_HUB_NODE_CA_FILE: not set", error.Message, StringComparison.Ordinal);
        await AssertNoCertificateStoredAsync(h);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ListCertificatesAsync_UnknownNode_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var refusal = await h.RefusedAsync(s => s.ListCertificatesAsync("site-x", None));

        Assert.Equal(OperatorErrorKind.UnknownNode, refusal.Kind);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RevokeCertificateAsync_ActiveCertificate_RecordsTimeReasonAndAuditEvent(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        var kept = await h.AddCertificateAsync("site-a", h.IssueNode("site-a"));
        var certificate = await h.AddCertificateAsync("site-a", h.IssueNode("site-a"));
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        // Lower case with colons, as `openssl x509 -fingerprint -sha256` prints it.
        var colonized = string.Join(':', certificate.Thumbprint.ToLowerInvariant().Chunk(2).Select(c => new string(c)));
        var result = await h.RunAsync(s => s.RevokeCertificateAsync("site-a", colonized, " key leaked ", "erin", None));

        Assert.True(result.Changed);
        Assert.Equal(("revoked", h.Clock.Now, "key leaked"), (result.Certificate.Status, result.Certificate.RevokedAt, result.Certificate.RevocationReason));
        var stored = await h.WithDbAsync(db => db.NodeCertificates.SingleAsync(c => c.ThumbprintSha256 == certificate.Thumbprint));
        Assert.Equal((NodeCertificateStatus.Revoked, h.Clock.Now, "key leaked"), (stored.Status, stored.RevokedAt, stored.RevocationReason));
        Assert.Equal(NodeCertificateStatus.Active, (await h.WithDbAsync(db => db.NodeCertificates.SingleAsync(c => c.ThumbprintSha256 == kept.Thumbprint))).Status);
        var audit = (await h.AuditEventsAsync()).Last();
        Assert.Equal(("erin", "node_certificate_revoked", "node:site-a", h.Clock.Now), (audit.Actor, audit.Action, audit.Target, audit.OccurredAt));
        using var details = JsonDocument.Parse(audit.Details);
        Assert.Equal(certificate.Thumbprint, details.RootElement.GetProperty("thumbprint").GetString());
        Assert.Equal("key leaked", details.RootElement.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RevokeCertificateAsync_AlreadyRevoked_KeepsFirstRevocationAndRecordsNothing(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        var certificate = await h.AddCertificateAsync("site-a", h.IssueNode("site-a"));
        await h.RunAsync(s => s.RevokeCertificateAsync("site-a", certificate.Thumbprint, "first", "erin", None));
        var revokedAt = h.Clock.Now;
        var events = (await h.AuditEventsAsync()).Count;
        h.Clock.Advance(TimeSpan.FromHours(1));

        var again = await h.RunAsync(s => s.RevokeCertificateAsync("site-a", certificate.Thumbprint, "second", "erin", None));

        Assert.False(again.Changed);
        Assert.Equal((revokedAt, "first"), (again.Certificate.RevokedAt, again.Certificate.RevocationReason));
        Assert.Equal(events, (await h.AuditEventsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RevokeCertificateAsync_ThumbprintOfAnotherNodeOrUnknown_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        await h.AddNodeAsync("site-b", "center-a");
        var ofSiteB = await h.AddCertificateAsync("site-b", h.IssueNode("site-b"));

        var otherNode = await h.RefusedAsync(s => s.RevokeCertificateAsync("site-a", ofSiteB.Thumbprint, "wrong node", "erin", None));
        var unknown = await h.RefusedAsync(s => s.RevokeCertificateAsync("site-a", new string('A', 64), "typo", "erin", None));
        var unknownNode = await h.RefusedAsync(s => s.RevokeCertificateAsync("site-x", ofSiteB.Thumbprint, "typo", "erin", None));

        Assert.Equal(OperatorErrorKind.UnknownCertificate, otherNode.Kind);
        Assert.Equal($"node 'site-a' has no certificate with thumbprint {ofSiteB.Thumbprint}", otherNode.Message);
        Assert.Equal(OperatorErrorKind.UnknownCertificate, unknown.Kind);
        Assert.Equal(OperatorErrorKind.UnknownNode, unknownNode.Kind);
        Assert.Equal(NodeCertificateStatus.Active, (await h.WithDbAsync(db => db.NodeCertificates.SingleAsync())).Status);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RevokeCertificateAsync_MalformedThumbprintOrEmptyReason_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        var certificate = await h.AddCertificateAsync("site-a", h.IssueNode("site-a"));

        var shortThumbprint = await h.RefusedAsync(s => s.RevokeCertificateAsync("site-a", certificate.Thumbprint[..40], "reason", "erin", None));
        var notHex = await h.RefusedAsync(s => s.RevokeCertificateAsync("site-a", new string('G', 64), "reason", "erin", None));
        var noReason = await h.RefusedAsync(s => s.RevokeCertificateAsync("site-a", certificate.Thumbprint, " ", "erin", None));

        Assert.All([shortThumbprint, notHex, noReason], r => Assert.Equal(OperatorErrorKind.InvalidArgument, r.Kind));
        Assert.Equal("--reason must not be empty", noReason.Message);
        Assert.Equal(NodeCertificateStatus.Active, (await h.WithDbAsync(db => db.NodeCertificates.SingleAsync())).Status);
    }

    private static async Task AssertNoCertificateStoredAsync(OperatorHarness h)
    {
        Assert.Equal(0, await h.WithDbAsync(db => db.NodeCertificates.CountAsync()));
        Assert.DoesNotContain(await h.AuditEventsAsync(), e => e.Action == "node_certificate_added");
    }
}
