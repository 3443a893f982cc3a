using LxAnnotate.Hub.PythonImport;

namespace LxAnnotate.Hub.Tests.PythonImport;

public sealed class JobPlannerTests
{
    private static readonly SourceCenter CenterA = new(1, "Klinik A", null);
    private static readonly SourceCenter CenterB = new(2, "Klinik B", null);

    [Fact]
    public void Plan_V07JobWithoutCenter_TakesTheSensitiveMetasCenter()
    {
        var plan = Single(Job("uploads/a.pdf", metaId: 10), metas: [Meta(10, centerId: 2)]);

        Assert.Equal(2, plan.CenterId);
        Assert.Null(plan.Unassignable);
        Assert.Equal("application/pdf", plan.ContentType);
    }

    [Fact]
    public void Plan_V07JobWithoutCenter_TakesTheVideoFilesCenterFoundByPath()
    {
        var plan = Single(Job("uploads/v.mp4", metaId: null), media: [new SourceMediaFile(true, 1, Guid.NewGuid(), DateTimeOffset.UnixEpoch, 1, null, "uploads/v.mp4", null, null, null)]);

        Assert.Equal(1, plan.CenterId);
        Assert.Equal("video/mp4", plan.ContentType);
    }

    [Fact]
    public void Plan_MetaAndFileNameDifferentCenters_IsUnassignable()
    {
        var plan = Single(Job("uploads/v.mp4", metaId: 10), metas: [Meta(10, centerId: 1)], media: [new SourceMediaFile(true, 1, Guid.NewGuid(), DateTimeOffset.UnixEpoch, 2, 10, "uploads/v.mp4", null, null, null)]);

        Assert.Null(plan.CenterId);
        Assert.Contains("different centers", plan.Unassignable, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NothingNamesACenter_IsUnassignable()
    {
        var plan = Single(Job("uploads/x.bin", metaId: null));

        Assert.Null(plan.CenterId);
        Assert.StartsWith("no center", plan.Unassignable, StringComparison.Ordinal);
        Assert.Equal("application/octet-stream", plan.ContentType);
    }

    [Fact]
    public void Plan_V10JobWithSourceCenter_KeepsItOverDerivedOnes()
    {
        var plan = Single(Job("uploads/a.pdf", metaId: 10) with { SourceCenterId = 1, ContentType = "application/pdf" }, metas: [Meta(10, centerId: 2)]);

        Assert.Equal(1, plan.CenterId);
    }

    [Theory]
    [InlineData("pending", "pending")]
    [InlineData("processing", "pending")]
    [InlineData("anonymized", "anonymized")]
    [InlineData("error", "error")]
    [InlineData("lost", "lost")]
    public void Map_OriginalStatus_IsOurs(string original, string ours)
    {
        var mapped = JobStatusMapping.Map(original);

        Assert.NotNull(mapped);
        Assert.Equal(ours, Hub.Domain.WireNames.ToWire(mapped.Value.Status));
        Assert.Equal(ours is "error" or "lost", mapped.Value.ErrorCode is not null);
    }

    [Fact]
    public void Map_UnknownStatus_IsNull()
    {
        Assert.Null(JobStatusMapping.Map("retrying-later"));
    }

    private static PlannedJob Single(SourceUploadJob job, SourceSensitiveMeta[]? metas = null, SourceMediaFile[]? media = null) =>
        Assert.Single(JobPlanner.Plan(new PythonSnapshot(PythonSchemaLine.V07, [CenterA, CenterB], (metas ?? []).ToDictionary(m => m.Id), [job], media ?? [])));

    private static SourceUploadJob Job(string file, long? metaId) => new(
        Guid.NewGuid(), file, "pending", "", "", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, metaId, null, "api", "", "", "api", "", null, "ingest", "upload_api", "preserve_source");

    private static SourceSensitiveMeta Meta(long id, long? centerId) => new(id, centerId, "A", "B", null, null, null, null, null, null, null);
}
