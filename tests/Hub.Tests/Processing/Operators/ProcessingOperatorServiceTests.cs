using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Processing.Operators;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Operators;

public sealed class ProcessingOperatorServiceTests
{
    private const string Actor = "ops-test";

    private static readonly string[] Rois =
    [
        "endoscope_image=400,0,880,720", "examination_date=0,0,260,27", "examination_time=160,5,77,23", "patient_first_name=53,73,293,22",
        "patient_last_name=47,55,300,18", "patient_dob=47,120,107,33", "endoscope_type=47,420,187,23", "endoscope_sn=47,447,187,23",
    ];

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task ShowProcessorAsync_Migrated_OlympusCv1500WithTheOriginalRegions(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);

        var olympus = await RunAsync(harness, s => s.ShowProcessorAsync("olympus_cv_1500", CancellationToken.None));

        Assert.Equal((1920, 1080), (olympus.ImageWidth, olympus.ImageHeight));
        Assert.Equal(new ProcessorRoi(550, 0, 1350, 1080), olympus.Rois["endoscope_image"]);
        Assert.Equal(new ProcessorRoi(0, 0, 390, 40), olympus.Rois["examination_date"]);
        Assert.Equal(new ProcessorRoi(240, 7, 115, 35), olympus.Rois["examination_time"]);
        Assert.Equal(new ProcessorRoi(80, 110, 440, 33), olympus.Rois["patient_first_name"]);
        Assert.Equal(new ProcessorRoi(70, 83, 450, 27), olympus.Rois["patient_last_name"]);
        Assert.Equal(new ProcessorRoi(70, 180, 160, 50), olympus.Rois["patient_dob"]);
        Assert.Equal(new ProcessorRoi(70, 630, 280, 35), olympus.Rois["endoscope_type"]);
        Assert.Equal(new ProcessorRoi(70, 670, 280, 35), olympus.Rois["endoscope_sn"]);
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task AddProcessorAsync_DefaultForCenter_ReplacesEarlierDefaultAndIsAudited(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        await RunAsync(harness, s => s.UseProcessorAsync("olympus_cv_1500", [], [ProcessingHarness.Center], Actor, CancellationToken.None));

        var added = await RunAsync(harness, s => s.AddProcessorAsync("small_720p", 1280, 720, Rois, [], [ProcessingHarness.Center], Actor, CancellationToken.None));

        Assert.Equal([ProcessingHarness.Center], added.DefaultFor);
        var all = await RunAsync(harness, s => s.ListProcessorsAsync(CancellationToken.None));
        Assert.Equal(["olympus_cv_1500", "small_720p"], all.Select(p => p.Name));
        Assert.Equal([ProcessingHarness.Center], all[0].Centers);
        Assert.Empty(all[0].DefaultFor);
        var ids = await harness.WithDbAsync(db => db.EndoscopyProcessors.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync());
        Assert.Equal([1L, 2L], ids);
        var audit = await harness.WithDbAsync(db => db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["processor_centers_set", "processor_added"], audit);
    }

    [Theory]
    [InlineData(new[] { "endoscope_image=0,0,10,10" }, "--roi missing for examination_date")]
    [InlineData(new[] { "nose=0,0,10,10" }, "--roi 'nose' is not a region")]
    [InlineData(new[] { "endoscope_image=0,0,2000,10" }, "--roi endoscope_image must have a size and lie inside the 1280x720 frame")]
    [InlineData(new[] { "endoscope_image=0,0,10" }, "--roi endoscope_image must be endoscope_image=X,Y,WIDTH,HEIGHT")]
    public async Task AddProcessorAsync_BadRegions_RefusedNamingTheProblem(string[] rois, string message)
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);

        var ex = await Assert.ThrowsAsync<OperatorException>(() =>
            RunAsync(harness, s => s.AddProcessorAsync("bad", 1280, 720, rois, [], [], Actor, CancellationToken.None)));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RetryJobAsync_ErrorJob_RetryingDueNowAttemptsResetAudited(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        await harness.CompleteAsync((await harness.ClaimAsync("w"))!, new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed, "bad"));

        var retry = await RunAsync(harness, s => s.RetryJobAsync(id.ToString(), Actor, CancellationToken.None));

        Assert.Equal(("error", "retrying"), (retry.PreviousStatus, retry.Job.Status));
        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Retrying, 0, harness.Clock.Now), (job.Status, job.RetryCount, job.NextRetryAt!.Value));
        Assert.Null(job.ErrorCode);
        Assert.Equal(id, (await harness.ClaimAsync("w"))!.JobId);
        var audit = await harness.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync());
        Assert.Equal(("job_retried", "job:" + id.ToString("D"), Actor), (audit.Action, audit.Target, audit.Actor));
        Assert.Contains("media_integrity_failed", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryJobAsync_PendingJob_Refused()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var id = await harness.AddJobAsync();

        var ex = await Assert.ThrowsAsync<OperatorException>(() => RunAsync(harness, s => s.RetryJobAsync(id.ToString(), Actor, CancellationToken.None)));

        Assert.Equal($"job {id} is 'pending'; only 'error' and 'lost' jobs can be retried", ex.Message);
    }

    [Fact]
    public async Task ListJobsAsync_StatusAndCenterFilters_OnlyMatchingJobs()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var failed = await harness.AddJobAsync();
        await harness.CompleteAsync((await harness.ClaimAsync("w"))!, new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed, "bad"));
        var pending = await harness.AddJobAsync();

        var errors = await RunAsync(harness, s => s.ListJobsAsync("error", ProcessingHarness.Center, 100, CancellationToken.None));
        var all = await RunAsync(harness, s => s.ListJobsAsync(null, null, 100, CancellationToken.None));

        Assert.Equal([failed], errors.Select(j => j.Id));
        Assert.Equal(new[] { failed, pending }.Order(), all.Select(j => j.Id).Order());
        Assert.Equal("unknown status 'broken': one of pending, processing, retrying, anonymized, error, lost",
            (await Assert.ThrowsAsync<OperatorException>(() => RunAsync(harness, s => s.ListJobsAsync("broken", null, 100, CancellationToken.None)))).Message);
        Assert.Equal("unknown center 'nowhere'",
            (await Assert.ThrowsAsync<OperatorException>(() => RunAsync(harness, s => s.ListJobsAsync(null, "nowhere", 100, CancellationToken.None)))).Message);
    }

    private static async Task<T> RunAsync<T>(ProcessingHarness harness, Func<ProcessingOperatorService, Task<T>> action)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await action(ActivatorUtilities.CreateInstance<ProcessingOperatorService>(scope.ServiceProvider));
    }
}
