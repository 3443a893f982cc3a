using System.Security.Cryptography;
using LxAnnotate.Node.Tests.Support;

namespace LxAnnotate.Node.Tests.Watcher;

/// <summary>Preanonymized exports and their <c>.json</c> sidecars, through the running watcher.</summary>
public sealed class PreanonymizedWatcherTests
{
    [Fact]
    public async Task StartAsync_PairWithSidecar_TakenWithSidecarPathAndExpectedSha()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        var content = "anonymized report text"u8.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllTextAsync(
            harness.Preanonymized("export-17.json"),
            $$"""{"schema_version": 1, "center_key": "uk-wuerzburg", "source_system": "endo.export-2", "file_sha256": "{{sha.ToUpperInvariant()}}", "document_type": "report", "anonymized": true}""");
        await File.WriteAllBytesAsync(harness.Preanonymized("export-17.txt"), content);

        await Eventually.TrueAsync(() => harness.ArtifactTaken("export-17.txt"), "the pair to be taken");
        await harness.SettleAsync();
        var artifact = Assert.Single(harness.Outbox.Artifacts);
        Assert.Equal(harness.Preanonymized("export-17.txt"), artifact.SourcePath);
        Assert.Equal(harness.Preanonymized("export-17.json"), artifact.SidecarPath);
        Assert.Equal(sha, artifact.ExpectedSha256);
        Assert.Equal("text/plain", artifact.ContentType);
        Assert.Equal("watcher.preanonymized_import", artifact.Entrypoint);
        Assert.Equal("uk-wuerzburg", artifact.CenterKey);
        Assert.Equal("endo.export-2", artifact.SourceSystem);
        Assert.True(File.Exists(harness.Outbox.Admitted("export-17.json")));
    }

    [Fact]
    public async Task StartAsync_PairWithSidecar_ProvenanceHintsParsedOnceTravelWithTheArtifact()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("case-3.json"), """{"document_type": "report", "casenumber": "C-3", "language": "de"}""");
        await File.WriteAllTextAsync(harness.Preanonymized("case-3.pdf"), "%PDF");

        await Eventually.TrueAsync(() => harness.ArtifactTaken("case-3.pdf"), "the pair to be taken");
        var artifact = Assert.Single(harness.Outbox.Artifacts);
        Assert.Equal(
            new Dictionary<string, string> { ["sidecar.document_type"] = "report", ["sidecar.casenumber"] = "C-3" },
            artifact.SidecarHints);
    }

    [Fact]
    public async Task StartAsync_EmptySidecar_NodeDefaultsApply()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("clip.json"), "{}");
        await File.WriteAllTextAsync(harness.Preanonymized("clip.mp4"), "x");

        await Eventually.TrueAsync(() => harness.ArtifactTaken("clip.mp4"), "the pair to be taken");
        var artifact = Assert.Single(harness.Outbox.Artifacts);
        Assert.Equal("video/mp4", artifact.ContentType);
        Assert.Null(artifact.CenterKey);
        Assert.Equal("node-test", artifact.SourceSystem);
        Assert.Null(artifact.ExpectedSha256);
    }

    [Fact]
    public async Task StartAsync_SidecarWithUnknownKey_BothQuarantinedNamingTheKey()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("doc.json"), """{"center_key": "c1", "patient_name": "Erika Mustermann"}""");
        await File.WriteAllTextAsync(harness.Preanonymized("doc.pdf"), "%PDF");

        await Eventually.TrueAsync(() => harness.IsQuarantined("doc.pdf") && harness.IsQuarantined("doc.json"), "both files to be quarantined");
        foreach (var name in new[] { "doc.pdf", "doc.json" })
        {
            Assert.Equal("invalid_sidecar", harness.ReasonWhat(name));
            Assert.Contains("'patient_name'", harness.ReasonWhy(name), StringComparison.Ordinal);
            Assert.DoesNotContain("Mustermann", harness.ReasonWhy(name), StringComparison.Ordinal);
        }

        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task StartAsync_SidecarInvalidJson_BothQuarantined()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("broken.json"), """{"center_key": "c1", """);
        await File.WriteAllTextAsync(harness.Preanonymized("broken.txt"), "text");

        await Eventually.TrueAsync(() => harness.IsQuarantined("broken.txt") && harness.IsQuarantined("broken.json"), "both files to be quarantined");
        Assert.Equal("invalid_sidecar", harness.ReasonWhat("broken.txt"));
        Assert.Equal("sidecar is not valid JSON", harness.ReasonWhy("broken.json"));
        Assert.Equal("""{"center_key": "c1", """, await File.ReadAllTextAsync(harness.Quarantined("broken.json")));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task StartAsync_MissingSidecar_WaitsThenQuarantined()
    {
        await using var harness = new WatcherHarness(s => s with { SidecarWait = TimeSpan.FromSeconds(1.5) });
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("lonely.pdf"), "%PDF");

        await Task.Delay(TimeSpan.FromMilliseconds(900));
        Assert.True(File.Exists(harness.Preanonymized("lonely.pdf")));
        Assert.False(harness.IsQuarantined("lonely.pdf"));

        await Eventually.TrueAsync(() => harness.IsQuarantined("lonely.pdf"), "the file to be quarantined after the sidecar wait");
        Assert.Equal("missing_sidecar", harness.ReasonWhat("lonely.pdf"));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task StartAsync_SidecarArrivesWithinWait_PairTaken()
    {
        await using var harness = new WatcherHarness(s => s with { SidecarWait = TimeSpan.FromSeconds(10) });
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("late.pdf"), "%PDF");
        await harness.SettleAsync();
        Assert.Equal(0, harness.Outbox.Calls);

        await File.WriteAllTextAsync(harness.Preanonymized("late.json"), """{"schema_version": 1}""");

        await Eventually.TrueAsync(() => harness.ArtifactTaken("late.pdf"), "the pair to be taken once the sidecar arrived");
        Assert.Equal(harness.Preanonymized("late.json"), Assert.Single(harness.Outbox.Artifacts).SidecarPath);
    }

    [Fact]
    public async Task StartAsync_SidecarAlone_LeftInPlace()
    {
        await using var harness = new WatcherHarness(s => s with { SidecarWait = TimeSpan.FromMilliseconds(200) });
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("orphan.json"), "{}");
        await File.WriteAllTextAsync(harness.Report("sentinel.pdf"), "%PDF-1.7");

        await Eventually.TrueAsync(() => harness.ArtifactTaken("sentinel.pdf"), "the sentinel to be taken");
        await harness.SettleAsync();
        Assert.True(File.Exists(harness.Preanonymized("orphan.json")));
        Assert.Empty(Directory.GetFiles(harness.Paths.QuarantineDir));
        Assert.Single(harness.Outbox.Artifacts);
    }

    [Fact]
    public async Task StartAsync_WrongTypeInPreanonymizedFolder_QuarantinedAlone()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Preanonymized("video.avi"), "x");

        await Eventually.TrueAsync(() => harness.IsQuarantined("video.avi"), "the file to be quarantined");
        Assert.Equal("refused_type", harness.ReasonWhat("video.avi"));
    }
}
