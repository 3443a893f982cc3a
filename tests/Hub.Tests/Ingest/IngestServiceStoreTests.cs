using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary><c>IngestAsync</c> of new content: where it is stored and what provenance the job records.</summary>
public sealed class IngestServiceStoreTests : IngestServiceTestBase
{
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_NewContent_StoresFileUnderCenterAndCreatesPendingJob(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(300_000);

        var result = await harness.IngestAsync(Request(originalFilename: "dir/video.mp4"), bytes);

        Assert.True(result.Created);
        var job = result.Job;
        Assert.Equal(UploadJobStatus.Pending, job.Status);
        Assert.Equal(Sha256Hex(bytes), job.ContentHash);
        Assert.Equal(bytes.Length, job.SizeBytes);
        Assert.Equal("video.mp4", job.OriginalFilename);
        Assert.StartsWith("centers/center-a/", job.StoragePath, StringComparison.Ordinal);
        var stored = Path.Combine(harness.Settings.Paths.StorageDir, job.StoragePath);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(stored));
        Assert.Empty(harness.StagedFiles());

        var reloaded = await harness.WithDbAsync(db => db.UploadJobs.Include(j => j.SourceCenter).SingleAsync(j => j.Id == job.Id));
        Assert.Equal("center-a", reloaded.SourceCenter!.CenterKey);
        var provenance = reloaded.ProcessingProvenance;
        Assert.Equal("api", provenance.Entrypoint);
        Assert.Equal("api", provenance.IngestMode);
        Assert.Equal("upload_api", provenance.StorageTier);
        Assert.Equal("preserve_source", provenance.RetentionPolicy);
        Assert.Equal("center-a", provenance.SourceCenterKey);
        Assert.Equal("center-a", provenance.ResolvedCenterKey);
        Assert.Null(provenance.DeclaredCenterKey);
        Assert.Equal("standalone", provenance.HubMode);
        Assert.Equal(job.ContentHash, provenance.ContentHash);

        Assert.Contains(harness.Logs.Lines, l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("job_created", StringComparison.Ordinal));
        Assert.Contains(harness.Logs.Lines, l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("center_resolved", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_SameBytesInTwoCenters_TwoJobsInTwoCenters(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, HubRoleFor(kind));
        await harness.AddCenterAsync("center-a");
        await harness.AddCenterAsync("center-b");
        var bytes = RandomBytes(2048);
        var nodeA = CallerIdentity.ForNode("node-a", "center-a", "AA");
        var nodeB = CallerIdentity.ForNode("node-b", "center-b", "BB");

        var a = await harness.IngestAsync(Request(IngestMode.Transfer, nodeA, declaredCenter: "center-a"), bytes);
        var b = await harness.IngestAsync(Request(IngestMode.Transfer, nodeB, declaredCenter: "center-b"), bytes);

        Assert.True(a.Created);
        Assert.True(b.Created);
        Assert.NotEqual(a.Job.SourceCenterId, b.Job.SourceCenterId);
        Assert.Equal(["center-a", "center-b"], harness.StoredFiles().Select(f => f.Split('/')[1]));
        Assert.Equal("node-b", b.Job.ProcessingProvenance.SourceNodeKey);
        Assert.Equal("BB", b.Job.ProcessingProvenance.ClientCertThumbprint);
    }

    [Fact]
    public async Task IngestAsync_WatcherHints_LandInProvenance()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var request = Request(IngestMode.Watcher, CallerIdentity.LocalWatcher) with
        {
            Entrypoint = "watcher.preanonymized_import",
            ProvenanceHints = new Dictionary<string, string> { ["watched_path"] = "/data/import/x.txt", ["sidecar_path"] = "/data/import/x.json" },
        };

        var result = await harness.IngestAsync(request, RandomBytes(10));

        Assert.Equal("/data/import/x.txt", result.Job.ProcessingProvenance.WatchedPath);
        Assert.Equal("/data/import/x.json", result.Job.ProcessingProvenance.SidecarPath);
        Assert.Equal("watcher", result.Job.ProcessingProvenance.IngestMode);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_SidecarHints_StoredAsClosedSidecarProvenance(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var request = Request(IngestMode.Watcher, CallerIdentity.LocalWatcher) with
        {
            Entrypoint = "watcher.preanonymized_import",
            ProvenanceHints = new Dictionary<string, string>
            {
                ["sidecar.external_id"] = "1001",
                ["sidecar.external_id_origin"] = "sap_ish:center-a",
                ["sidecar.casenumber"] = "2001",
                ["sidecar.examination_date"] = "2024-05-17",
                ["sidecar.examination_time"] = "09:30:00",
                ["sidecar.source_document_type"] = "briefe",
            },
        };

        var result = await harness.IngestAsync(request, RandomBytes(10));

        var stored = (await harness.WithDbAsync(db => db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == result.Job.Id))).ProcessingProvenance.Sidecar!;
        Assert.Equal(("1001", "sap_ish:center-a", "2001"), (stored.ExternalId, stored.ExternalIdOrigin, stored.Casenumber));
        Assert.Equal(("2024-05-17", "09:30:00", "briefe"), (stored.ExaminationDate, stored.ExaminationTime, stored.SourceDocumentType));
        Assert.Null(stored.PatientGender);
    }
}
