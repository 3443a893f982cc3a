using System.Text.Json;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Operators.Nodes;

public sealed class NodeOperationsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

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
}
