using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Ingest;

public sealed class IngestServiceTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

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
        Assert.Equal("api.upload", provenance.Entrypoint);
        Assert.Equal("api", provenance.IngestMode);
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
    public async Task IngestAsync_SameContentTwice_ReusesJobAndKeepsOneFile(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(4096);

        var first = await harness.IngestAsync(Request(), bytes);
        var second = await harness.IngestAsync(Request(sourceSystem: "other-system"), bytes);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Single(harness.StoredFiles());
        Assert.Empty(harness.StagedFiles());
        Assert.Equal(1, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Contains(harness.Logs.Lines, l => l.Message.Contains("job_reused", StringComparison.Ordinal) && l.Message.Contains("content_hash", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_SameIdempotencyKeyDifferentBytes_ReusesJobWithoutStoring(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        var first = await harness.IngestAsync(Request(idempotencyKey: "req-1"), RandomBytes(1000));
        var second = await harness.IngestAsync(Request(idempotencyKey: "req-1"), RandomBytes(1000));
        var otherKey = await harness.IngestAsync(Request(idempotencyKey: "req-2"), RandomBytes(1000));

        Assert.False(second.Created);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.True(otherKey.Created);
        Assert.Equal(2, harness.StoredFiles().Count);
        Assert.Empty(harness.StagedFiles());
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

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_ContentOfFailedJob_CreatesNewJob(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(512);
        var first = await harness.IngestAsync(Request(), bytes);
        await harness.WithDbAsync(async db =>
        {
            var job = await db.UploadJobs.SingleAsync(j => j.Id == first.Job.Id);
            job.TransitionTo(UploadJobStatus.Error, DateTimeOffset.UtcNow, UploadJobErrorCode.MediaIntegrityFailed, "no video stream");
            return await db.SaveChangesAsync();
        });

        var second = await harness.IngestAsync(Request(), bytes);

        Assert.True(second.Created);
        Assert.NotEqual(first.Job.Id, second.Job.Id);
        Assert.Single(harness.StoredFiles());
    }

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
        var request = Request() with { ProvenanceHints = new Dictionary<string, string> { ["patient_id"] = "123" } };

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() => harness.IngestAsync(request, RandomBytes(10)));

        Assert.Equal(IngestRejectionReason.InvalidInput, ex.Reason);
        Assert.Contains("patient_id", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains("123", StringComparison.Ordinal));
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

    /// <summary>Ten rounds in a row, each with new content, so a rare interleaving has ten chances to show.</summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_TwentyParallelIngestsOfSameContent_OneJobOneFile(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        for (var round = 1; round <= 10; round++)
        {
            var bytes = RandomBytes(256 * 1024);
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 20)
                .Select(_ => Task.Run(async () =>
                {
                    start.Wait(TimeSpan.FromSeconds(30));
                    return await harness.IngestAsync(Request(), bytes);
                }))
                .ToList();
            start.Set();
            var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Single(results, r => r.Created);
            var jobId = Assert.Single(results.Select(r => r.Job.Id).Distinct());
            Assert.Equal(round, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
            Assert.Equal(round, harness.StoredFiles().Count);
            var job = await harness.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == jobId));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, job.StoragePath)));
            Assert.Empty(harness.StagedFiles());
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestManyAsync_MixedItems_EachGetsItsOwnOutcomeInOrder(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var stored = RandomBytes(3000);
        var storedJob = (await harness.IngestAsync(Request(), stored)).Job;
        var keyedJob = (await harness.IngestAsync(Request(idempotencyKey: "k-1"), RandomBytes(2000))).Job;
        var a = RandomBytes(50_000);
        var d = RandomBytes(7000);
        IngestItem[] items =
        [
            new(Request(), a),
            new(Request(sourceSystem: "other-system"), stored),
            new(Request(idempotencyKey: "k-1"), RandomBytes(1000)),
            new(Request(), a),
            new(Request() with { ExpectedSha256 = new string('0', 64) }, RandomBytes(100)),
            new(Request(sourceSystem: "bad system"), RandomBytes(100)),
            new(Request(), RandomBytes(5000)),
            new(Request(idempotencyKey: "k-2"), d),
        ];

        var outcomes = await harness.IngestManyAsync(items, maxBytes: 4096 * 16);
        var tooLarge = await harness.IngestManyAsync([new IngestItem(Request(), RandomBytes(5000))], maxBytes: 4096);

        Assert.Equal(items.Length, outcomes.Count);
        Assert.True(outcomes[0].Result!.Created);
        Assert.Equal(Sha256Hex(a), outcomes[0].Result!.Job.ContentHash);
        Assert.Equal((storedJob.Id, false), (outcomes[1].Result!.Job.Id, outcomes[1].Result!.Created));
        Assert.Equal((keyedJob.Id, false), (outcomes[2].Result!.Job.Id, outcomes[2].Result!.Created));
        Assert.Equal((outcomes[0].Result!.Job.Id, false), (outcomes[3].Result!.Job.Id, outcomes[3].Result!.Created));
        Assert.Equal(IngestRejectionReason.IntegrityMismatch, outcomes[4].Rejection!.Reason);
        Assert.Null(outcomes[4].Result);
        Assert.Equal(IngestRejectionReason.InvalidInput, outcomes[5].Rejection!.Reason);
        Assert.Contains("source_system", outcomes[5].Rejection!.Message, StringComparison.Ordinal);
        Assert.True(outcomes[6].Result!.Created);
        Assert.True(outcomes[7].Result!.Created);
        Assert.Equal("k-2", outcomes[7].Result!.Job.IdempotencyKey);
        Assert.Equal(IngestRejectionReason.TooLarge, Assert.Single(tooLarge).Rejection!.Reason);

        Assert.Equal(5, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Equal(5, harness.StoredFiles().Count);
        Assert.Empty(harness.StagedFiles());
        var jobA = await harness.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == outcomes[0].Result!.Job.Id));
        Assert.Equal(a, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, jobA.StoragePath)));
        Assert.Equal(5, harness.Logs.Lines.Count(l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("job_created", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Three batches with the same six contents in different orders at once, ten rounds: their transactions meet on
    /// the unique indexes (and, on PostgreSQL, may deadlock), and the losers record their items one at a time.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestManyAsync_ConcurrentBatchesOfSameContent_OneJobAndOneFilePerContent(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        for (var round = 1; round <= 10; round++)
        {
            var contents = Enumerable.Range(0, 6).Select(_ => RandomBytes(20_000)).ToList();
            using var start = new ManualResetEventSlim();
            var batches = Enumerable.Range(0, 3)
                .Select(b => contents.Select((c, i) => (c, i)).OrderBy(x => (x.i * (b + 2)) % 7).Select(x => x.c).ToList())
                .Select(batch => Task.Run(async () =>
                {
                    start.Wait(TimeSpan.FromSeconds(30));
                    var outcomes = await harness.IngestManyAsync(batch.ConvertAll(c => new IngestItem(Request(), c)));
                    return batch.Zip(outcomes, (content, outcome) => (Hash: Sha256Hex(content), outcome.Result!));
                }))
                .ToList();
            start.Set();
            var results = (await Task.WhenAll(batches).WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(r => r).ToList();

            foreach (var perContent in results.GroupBy(r => r.Hash))
            {
                Assert.Equal(3, perContent.Count());
                Assert.Single(perContent, r => r.Item2.Created);
                Assert.Single(perContent.Select(r => r.Item2.Job.Id).Distinct());
                Assert.Equal(perContent.Key, perContent.First().Item2.Job.ContentHash);
            }

            Assert.Equal(6 * round, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
            Assert.Equal(6 * round, harness.StoredFiles().Count);
            Assert.Empty(harness.StagedFiles());
        }

        Assert.Contains(harness.Logs.Lines, l => l.Message.Contains("recorded one at a time", StringComparison.Ordinal));
    }

    /// <summary>A central hub refuses SQLite; a standalone host serves the same transfer boundary on it.</summary>
    private static DeploymentRole HubRoleFor(TestDatabaseKind kind) =>
        kind == TestDatabaseKind.PostgreSql ? DeploymentRole.CentralHub : DeploymentRole.Standalone;

    private static IngestRequest Request(
        IngestMode boundary = IngestMode.Api,
        CallerIdentity? caller = null,
        string? declaredCenter = null,
        string sourceSystem = "endoscopy",
        string? idempotencyKey = null,
        string? originalFilename = "video.mp4") => new()
        {
            Boundary = boundary,
            Entrypoint = boundary switch
            {
                IngestMode.Api => "api.upload",
                IngestMode.Watcher => "watcher.video_import",
                _ => "transfer.grpc",
            },
            Caller = caller ?? CallerIdentity.Anonymous,
            DeclaredCenterKey = declaredCenter,
            SourceSystem = sourceSystem,
            IdempotencyKey = idempotencyKey,
            ContentType = "video/mp4",
            OriginalFilename = originalFilename,
        };

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
