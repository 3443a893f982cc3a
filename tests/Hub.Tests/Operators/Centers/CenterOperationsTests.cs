using System.Text.Json;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Operators.Centers;

public sealed class CenterOperationsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

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
}
