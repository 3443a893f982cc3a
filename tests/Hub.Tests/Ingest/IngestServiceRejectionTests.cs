using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary><c>IngestAsync</c> refusals: forbidden center, integrity, size and malformed input keep nothing.</summary>
public sealed class IngestServiceRejectionTests : IngestServiceTestBase
{
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_ForbiddenCenter_StoresNothingAndAudits(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, HubRoleFor(kind));
        await harness.AddCenterAsync("center-a");
        await harness.AddCenterAsync("center-b");
        var node = CallerIdentity.ForNode("node-a", "center-a", "AA");

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(
            () => harness.IngestAsync(Request(IngestMode.Transfer, node, declaredCenter: "center-b"), RandomBytes(100)));

        Assert.Equal(IngestRejectionReason.CenterForbidden, ex.Reason);
        Assert.Empty(harness.StoredFiles());
        Assert.Empty(harness.StagedFiles());
        Assert.Equal(0, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Contains(harness.Logs.Lines, l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("ingest_rejected", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_DeclaredHashMismatch_RejectsAndKeepsNothing(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(100);

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(
            () => harness.IngestAsync(Request() with { ExpectedSha256 = new string('0', 64) }, bytes));
        var sizeEx = await Assert.ThrowsAsync<IngestRejectedException>(
            () => harness.IngestAsync(Request() with { ExpectedSizeBytes = 99 }, bytes));

        Assert.Equal(IngestRejectionReason.IntegrityMismatch, ex.Reason);
        Assert.Equal(IngestRejectionReason.IntegrityMismatch, sizeEx.Reason);
        Assert.Empty(harness.StoredFiles());
        Assert.Empty(harness.StagedFiles());
    }

    [Fact]
    public async Task IngestAsync_OverSizeLimit_RejectsAndKeepsNothing()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() => harness.IngestAsync(Request(), RandomBytes(5000), maxBytes: 4096));

        Assert.Equal(IngestRejectionReason.TooLarge, ex.Reason);
        Assert.Contains("4096", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.StoredFiles());
        Assert.Empty(harness.StagedFiles());
    }

    [Theory]
    [InlineData("source system")]
    [InlineData("")]
    public async Task IngestAsync_MalformedSourceSystem_IsInvalidInput(string sourceSystem)
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() => harness.IngestAsync(Request(sourceSystem: sourceSystem), RandomBytes(10)));

        Assert.Equal(IngestRejectionReason.InvalidInput, ex.Reason);
        Assert.Contains("source_system", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_UnknownProvenanceHint_IsInvalidInput()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        // A value no other log line can contain by chance ("123" once matched the fraction of a timestamp EF Core logged).
        var patientId = $"patient-{Guid.NewGuid():N}";
        var request = Request() with { ProvenanceHints = new Dictionary<string, string> { ["patient_id"] = patientId } };

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() => harness.IngestAsync(request, RandomBytes(10)));

        Assert.Equal(IngestRejectionReason.InvalidInput, ex.Reason);
        Assert.Contains("patient_id", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(patientId, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains(patientId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IngestAsync_MalformedSidecarHint_IsInvalidInputWithoutTheValue()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var request = Request() with { ProvenanceHints = new Dictionary<string, string> { ["sidecar.examination_date"] = "17.05.1999" } };

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() => harness.IngestAsync(request, RandomBytes(10)));

        Assert.Equal(IngestRejectionReason.InvalidInput, ex.Reason);
        Assert.Contains("sidecar.examination_date", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1999", ex.Message, StringComparison.Ordinal);
    }
}
