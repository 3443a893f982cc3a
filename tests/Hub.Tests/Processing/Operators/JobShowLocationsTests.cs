using LxAnnotate.Hub.Cli;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Operators;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Operators;

/// <summary><c>lxa-hub jobs show</c> says where a job's extracted values and masked video are, and how to read the values.</summary>
public sealed class JobShowLocationsTests
{
    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task ShowJobAsync_EncryptedValuesAndMaskedVideo_AbsolutePathsAndTheReadCommand(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        var job = await harness.JobAsync(id);
        var metaId = await harness.WithDbAsync(async db =>
        {
            var meta = new SensitiveMeta { UploadJobId = id, CenterId = job.SourceCenterId, Source = "ocr", ValuesPath = "sensitive/center-a/values 1.json", CreatedAt = DateTimeOffset.UtcNow };
            db.SensitiveMetas.Add(meta);
            db.ProcessedArtifacts.Add(new ProcessedArtifact
            {
                UploadJobId = id, Kind = JobPipeline.MaskedVideoKind, StorageClass = "managed", RelativePath = "processed/center-a/" + id.ToString("N") + ".mp4",
                SizeBytes = 10, Sha256 = new string('a', 64), CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            return meta.Id;
        });

        var view = await ShowAsync(harness, id);
        var text = new StringWriter();
        ProcessingText.Job(view, text, "/etc/lx annotate/env");

        var valuesFile = Path.Join(harness.StorageDir, "sensitive/center-a/values 1.json");
        var masked = Path.Join(harness.StorageDir, "processed/center-a/" + id.ToString("N") + ".mp4");
        Assert.Equal(new JobValuesView(JobValuesView.EncryptedFile, valuesFile), view.ExtractedValues);
        Assert.Equal(masked, view.MaskedVideoPath);
        Assert.Equal(metaId, view.SensitiveMetaId);
        var lines = text.ToString().Split('\n');
        Assert.Contains($"  values:          encrypted (LXENC01) in {valuesFile}", lines);
        Assert.Contains($"  read values:     lxa-hub --env-file '/etc/lx annotate/env' encrypted cat '{valuesFile}'", lines);
        Assert.Contains($"  masked video:    {masked}", lines);
    }

    [Fact]
    public async Task ShowJobAsync_PlainColumns_SaysSoAndNamesTheRow()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var id = await harness.AddJobAsync();
        var job = await harness.JobAsync(id);
        var metaId = await harness.WithDbAsync(async db =>
        {
            var meta = new SensitiveMeta { UploadJobId = id, CenterId = job.SourceCenterId, Source = "ocr", CreatedAt = DateTimeOffset.UtcNow };
            db.SensitiveMetas.Add(meta);
            await db.SaveChangesAsync();
            return meta.Id;
        });

        var view = await ShowAsync(harness, id);
        var text = new StringWriter();
        ProcessingText.Job(view, text);

        Assert.Equal(new JobValuesView(JobValuesView.PlainColumns, null), view.ExtractedValues);
        Assert.Null(view.MaskedVideoPath);
        var lines = text.ToString().Split('\n');
        Assert.Contains("  values:          plain columns of the database (no master key was configured)", lines);
        Assert.Contains($"  read values:     SELECT * FROM sensitive_meta WHERE id = {metaId}", lines);
        Assert.DoesNotContain(lines, l => l.Contains("masked video", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShowJobAsync_PendingJob_NoValuesNoMaskedVideo()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var id = await harness.AddJobAsync();

        var view = await ShowAsync(harness, id);
        var text = new StringWriter();
        ProcessingText.Job(view, text);

        Assert.Null(view.ExtractedValues);
        Assert.DoesNotContain("values", text.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JobView> ShowAsync(ProcessingHarness harness, Guid id)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<ProcessingOperatorService>(scope.ServiceProvider).ShowJobAsync(id.ToString(), CancellationToken.None);
    }
}
