using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Operators;

public sealed class OperatorServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    // --- centers ---------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCenterAsync_NewKey_StoresCenterWithAuditEventAndLogLine(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var center = await h.RunAsync(s => s.AddCenterAsync("center-a", " Klinik A ", "Klinik A (Endoskopie)", "alice", None));

        Assert.Equal(new CenterView("center-a", "Klinik A", "Klinik A (Endoskopie)", h.Clock.Now), center);
        var stored = await h.WithDbAsync(db => db.Centers.SingleAsync());
        Assert.Equal(("center-a", "Klinik A", "Klinik A (Endoskopie)"), (stored.CenterKey, stored.Name, stored.DisplayName));
        var audit = Assert.Single(await h.AuditEventsAsync());
        Assert.Equal(("alice", "center_added", "center:center-a", h.Clock.Now), (audit.Actor, audit.Action, audit.Target, audit.OccurredAt));
        using var details = JsonDocument.Parse(audit.Details);
        Assert.Equal("Klinik A", details.RootElement.GetProperty("name").GetString());
        Assert.Equal("Klinik A (Endoskopie)", details.RootElement.GetProperty("display_name").GetString());
        var line = Assert.Single(h.AuditLines);
        Assert.Contains("audit center_added actor=alice target=center:center-a", line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCenterAsync_DuplicateKey_RefusesAndRecordsNothing(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");

        var refusal = await h.RefusedAsync(s => s.AddCenterAsync("center-a", "Other", null, "alice", None));

        Assert.Equal(OperatorErrorKind.DuplicateCenter, refusal.Kind);
        Assert.Equal("center 'center-a' already exists", refusal.Message);
        Assert.Equal(1, await h.WithDbAsync(db => db.Centers.CountAsync()));
        Assert.Single(await h.AuditEventsAsync());
        Assert.Single(h.AuditLines);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCenterAsync_InvalidKey_RefusesEach(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        foreach (var key in new[] { "Center-A", "-center", "center a", "center/a", "", new string('c', 65), ".." })
        {
            var refusal = await h.RefusedAsync(s => s.AddCenterAsync(key, "Name", null, "alice", None));
            Assert.Equal(OperatorErrorKind.InvalidKey, refusal.Kind);
            Assert.StartsWith($"invalid center key '{key}'", refusal.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await h.WithDbAsync(db => db.Centers.CountAsync()));
        Assert.Empty(await h.AuditEventsAsync());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddCenterAsync_EmptyOrMultiLineName_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var empty = await h.RefusedAsync(s => s.AddCenterAsync("center-a", "  ", null, "alice", None));
        var multiLine = await h.RefusedAsync(s => s.AddCenterAsync("center-a", "Klinik\nA", null, "alice", None));
        var tooLong = await h.RefusedAsync(s => s.AddCenterAsync("center-a", "Klinik", new string('x', 256), "alice", None));

        Assert.All([empty, multiLine, tooLong], r => Assert.Equal(OperatorErrorKind.InvalidArgument, r.Kind));
        Assert.Equal("--name must not be empty", empty.Message);
        Assert.Contains("--display-name", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(0, await h.WithDbAsync(db => db.Centers.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ListCentersAsync_SeveralCenters_ReturnsAllByKey(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-b");
        await h.AddCenterAsync("center-a");
        await h.AddCenterAsync("center_c");

        var centers = await h.RunAsync(s => s.ListCentersAsync(None));

        Assert.Equal(["center-a", "center-b", "center_c"], centers.Select(c => c.CenterKey));
        Assert.Equal("Center center-b", centers[1].Name);
    }

    // --- nodes -----------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddNodeAsync_KnownCenter_StoresActiveSiteNodeWithAuditEvent(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");

        var node = await h.RunAsync(s => s.AddNodeAsync("site-a", "center-a", "Site A", "bob", None));

        Assert.Equal(("site-a", "center-a", "Site A", "site_node", true), (node.NodeKey, node.CenterKey, node.DisplayName, node.Role, node.Active));
        Assert.Empty(node.Certificates);
        var stored = await h.WithDbAsync(db => db.NetworkNodes.Include(n => n.OwningCenter).SingleAsync());
        Assert.Equal(("site-a", "center-a", true), (stored.NodeKey, stored.OwningCenter!.CenterKey, stored.IsActive));
        var audit = (await h.AuditEventsAsync()).Last();
        Assert.Equal(("bob", "node_added", "node:site-a"), (audit.Actor, audit.Action, audit.Target));
        using var details = JsonDocument.Parse(audit.Details);
        Assert.Equal("center-a", details.RootElement.GetProperty("center_key").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddNodeAsync_UnknownCenter_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var refusal = await h.RefusedAsync(s => s.AddNodeAsync("site-a", "center-x", null, "bob", None));

        Assert.Equal(OperatorErrorKind.UnknownCenter, refusal.Kind);
        Assert.Equal("unknown center 'center-x'", refusal.Message);
        Assert.Equal(0, await h.WithDbAsync(db => db.NetworkNodes.CountAsync()));
        Assert.Empty(await h.AuditEventsAsync());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddNodeAsync_DuplicateKey_RefusesEvenForAnotherCenter(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddCenterAsync("center-b");
        await h.AddNodeAsync("site-a", "center-a");

        var refusal = await h.RefusedAsync(s => s.AddNodeAsync("site-a", "center-b", null, "bob", None));

        Assert.Equal(OperatorErrorKind.DuplicateNode, refusal.Kind);
        Assert.Equal("node 'site-a' already exists", refusal.Message);
        var node = await h.WithDbAsync(db => db.NetworkNodes.Include(n => n.OwningCenter).SingleAsync());
        Assert.Equal("center-a", node.OwningCenter!.CenterKey);
        Assert.Equal(3, (await h.AuditEventsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddNodeAsync_InvalidNodeOrCenterKey_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");

        var badNode = await h.RefusedAsync(s => s.AddNodeAsync("Site_A", "center-a", null, "bob", None));
        var badCenter = await h.RefusedAsync(s => s.AddNodeAsync("site-a", "center a", null, "bob", None));

        Assert.Equal(OperatorErrorKind.InvalidKey, badNode.Kind);
        Assert.StartsWith("invalid node key 'Site_A'", badNode.Message, StringComparison.Ordinal);
        Assert.Equal(OperatorErrorKind.InvalidKey, badCenter.Kind);
        Assert.StartsWith("invalid center key 'center a'", badCenter.Message, StringComparison.Ordinal);
        Assert.Equal(0, await h.WithDbAsync(db => db.NetworkNodes.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ListNodesAsync_NodesWithCertificates_ShowsCenterStateAndCertificateStatus(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddCenterAsync("center-b");
        await h.AddNodeAsync("site-b", "center-b");
        await h.AddNodeAsync("site-a", "center-a");
        var now = h.Clock.Now;
        var longLived = await h.AddCertificateAsync("site-a", h.Pki.IssueNode("site-a", notAfter: now.AddDays(365)));
        var endingSoon = await h.AddCertificateAsync("site-a", h.Pki.IssueNode("site-a", notAfter: now.AddDays(45)));
        var ending = await h.AddCertificateAsync("site-a", h.Pki.IssueNode("site-a", notAfter: now.AddDays(10)));
        var revoked = await h.AddCertificateAsync("site-a", h.Pki.IssueNode("site-a", notAfter: now.AddDays(300)));
        await h.RunAsync(s => s.RevokeCertificateAsync("site-a", revoked.Thumbprint, "key lost", "bob", None));
        await h.RunAsync(s => s.SetNodeActiveAsync("site-b", false, "bob", None));

        h.Clock.Advance(TimeSpan.FromDays(20));
        var nodes = await h.RunAsync(s => s.ListNodesAsync(null, None));

        Assert.Equal(["site-a", "site-b"], nodes.Select(n => n.NodeKey));
        var siteA = nodes[0];
        Assert.Equal(("center-a", true), (siteA.CenterKey, siteA.Active));
        var status = siteA.Certificates.ToDictionary(c => c.Thumbprint, c => c.Status);
        Assert.Equal("active", status[longLived.Thumbprint]);
        Assert.Equal("expiring", status[endingSoon.Thumbprint]);
        Assert.Equal("expired", status[ending.Thumbprint]);
        Assert.Equal("revoked", status[revoked.Thumbprint]);
        Assert.Equal(longLived.Thumbprint, siteA.Certificates[0].Thumbprint);
        Assert.Equal(longLived.NotAfter, siteA.Certificates[0].NotAfter);
        Assert.Equal(("center-b", false), (nodes[1].CenterKey, nodes[1].Active));
        Assert.Empty(nodes[1].Certificates);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ListNodesAsync_CenterFilter_ReturnsOnlyThatCenterAndRefusesUnknownCenter(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddCenterAsync("center-b");
        await h.AddNodeAsync("site-a", "center-a");
        await h.AddNodeAsync("site-b", "center-b");

        var nodes = await h.RunAsync(s => s.ListNodesAsync("center-b", None));
        var refusal = await h.RefusedAsync(s => s.ListNodesAsync("center-x", None));

        Assert.Equal("site-b", Assert.Single(nodes).NodeKey);
        Assert.Equal(OperatorErrorKind.UnknownCenter, refusal.Kind);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SetNodeActiveAsync_DeactivateThenActivate_ChangesStateWithAuditEvents(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");

        var deactivated = await h.RunAsync(s => s.SetNodeActiveAsync("site-a", false, "carol", None));
        var isActiveAfterDeactivate = await h.WithDbAsync(db => db.NetworkNodes.Select(n => n.IsActive).SingleAsync());
        var activated = await h.RunAsync(s => s.SetNodeActiveAsync("site-a", true, "carol", None));

        Assert.True(deactivated.Changed);
        Assert.False(deactivated.Node.Active);
        Assert.False(isActiveAfterDeactivate);
        Assert.True(activated.Changed);
        Assert.True(activated.Node.Active);
        Assert.True(await h.WithDbAsync(db => db.NetworkNodes.Select(n => n.IsActive).SingleAsync()));
        var events = (await h.AuditEventsAsync()).TakeLast(2).ToList();
        Assert.Equal(["node_deactivated", "node_activated"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(("carol", "node:site-a"), (e.Actor, e.Target)));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SetNodeActiveAsync_AlreadyInThatState_ReportsNoChangeAndRecordsNothing(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a", "center-a");
        var before = (await h.AuditEventsAsync()).Count;

        var result = await h.RunAsync(s => s.SetNodeActiveAsync("site-a", true, "carol", None));

        Assert.False(result.Changed);
        Assert.True(result.Node.Active);
        Assert.Equal(before, (await h.AuditEventsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SetNodeActiveAsync_UnknownNode_Refuses(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var refusal = await h.RefusedAsync(s => s.SetNodeActiveAsync("site-x", false, "carol", None));

        Assert.Equal(OperatorErrorKind.UnknownNode, refusal.Kind);
        Assert.Equal("unknown node 'site-x'", refusal.Message);
        Assert.Empty(await h.AuditEventsAsync());
    }

    // --- certificates ----------------------------------------------------------------------------

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
