using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.PythonImport;

/// <summary>
/// <c>lxa-hub import-python</c> on the committed fixture of the original's database and storage: every row and file
/// arrives, a second run changes nothing, a SIGKILLed run is completed by the next, the 0.7 line derives centers, and
/// an unknown schema is refused. The source is compared before and after: it never changes.
/// </summary>
public sealed class PythonImportTests
{
    private static readonly string[] SourceTables = ["django_migrations", "endoreg_db_center", "endoreg_db_sensitivemeta", "endoreg_db_uploadjob", "endoreg_db_rawpdffile", "endoreg_db_videofile"];

    private static readonly string[] TargetTables = ["centers", "upload_jobs", "sensitive_meta", "processed_artifact", "audit_events"];

    /// <summary>Job 5 of the 1.0 fixture: its file becomes an LXENC01 file written by the original's format.</summary>
    private const string SealedFile = "uploads/upload_api/0c8a2d8e/sealed.pdf";

    [Fact]
    public async Task ImportPython_V10DryRunImportAndAgain_EveryRowAndFileArrivesOnceAndSourceUnchanged()
    {
        await using var install = await PythonInstall.CreateAsync("v1_0");
        await SealAsOriginalAsync(install);
        var sourceFiles = PythonInstall.Files(install.PythonStorage);
        var sourceRows = await PythonInstall.TablesAsync(install.Source.ConnectionString, SourceTables);

        var dryRun = await install.ImportAsync("--dry-run");
        var targetAfterDryRun = await PythonInstall.TablesAsync(install.Target.ConnectionString, TargetTables);
        var first = await install.ImportAsync();
        var targetAfterFirst = await PythonInstall.TablesAsync(install.Target.ConnectionString, TargetTables);
        var hubFilesAfterFirst = PythonInstall.Files(install.HubStorage);
        var second = await install.ImportAsync();

        Assert.True(dryRun.ExitCode == 0, dryRun.StandardOutput + dryRun.StandardError);
        Assert.Contains("dry run: source: endoreg-db 1.0.x schema; 2 center(s), 14 upload job(s), 0 report/video file(s) without one, 3 sensitive meta row(s)", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dry run: centers: 2 to create, 0 already present", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dry run: upload jobs: 14 to import, 0 already imported, 0 unassignable, 0 conflicting, 0 failed", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dry run: files: 18 to copy", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dry run: hash check: 6 equal, 0 differ", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dry run: would import job 0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0005 (gastro_praxis_nord, pending, 0 output(s))", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.All(targetAfterDryRun.Values, v => Assert.StartsWith("0:", v, StringComparison.Ordinal));

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Contains("upload jobs: 14 imported, 0 already imported, 0 unassignable, 0 conflicting, 0 failed", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("files: 18 copied", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash check: 6 equal, 0 differ, 0 not stored by the original", first.StandardOutput, StringComparison.Ordinal);
        await PythonImportAssertions.EveryJobImportedAsync(install);
        var centers = await PythonInstall.QueryAsync(install.Target.ConnectionString, "SELECT center_key, name, coalesce(display_name, '') FROM centers ORDER BY id", r => (r.GetString(0), r.GetString(1), r.GetString(2)));
        // The 1.0 line's own center_key is kept (its clients see it as source_center_key); the name is unchanged.
        Assert.Equal([("ukw", "Universitätsklinikum Würzburg", "UKW"), ("gastro_praxis_nord", "gastro_praxis_nord", "")], centers);
        var audit = await PythonInstall.QueryAsync(install.Target.ConnectionString, "SELECT action, count(*) FROM audit_events GROUP BY action ORDER BY action", r => (r.GetString(0), r.GetInt64(1)));
        Assert.Equal([("center_added", 2L), ("upload_job_imported", 14L)], audit);
        await PythonImportAssertions.SensitiveMetaEncryptedWithOriginalHashesAsync(install);
        await PythonImportAssertions.ProcessedOutputsMatchSourceAsync(install);
        var sealedJob = await PythonImportAssertions.StoragePathAsync(install, "0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0005");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(install.PythonStorage, SealedFile)), await File.ReadAllBytesAsync(Path.Combine(install.HubStorage, sealedJob)));

        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.Contains("centers: 0 created, 2 already present", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("upload jobs: 0 imported, 14 already imported", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("files: 0 copied (0 bytes)", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash check: 6 equal, 0 differ", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(targetAfterFirst, await PythonInstall.TablesAsync(install.Target.ConnectionString, TargetTables));
        Assert.Equal(hubFilesAfterFirst, PythonInstall.Files(install.HubStorage));

        Assert.Equal(sourceFiles, PythonInstall.Files(install.PythonStorage));
        Assert.Equal(sourceRows, await PythonInstall.TablesAsync(install.Source.ConnectionString, SourceTables));
    }

    [Fact]
    public async Task ImportPython_KilledAfterCopyingAJobsFiles_NextRunCompletesWithEveryJobOnce()
    {
        await using var install = await PythonInstall.CreateAsync("v1_0");
        await SealAsOriginalAsync(install);
        var paused = new Dictionary<string, string?>(install.Environment) { ["LXA_IMPORT_PYTHON_TEST_PAUSE_AFTER"] = "5" };

        await using (var run = install.StartImport(paused))
        {
            for (var i = 0; i < 600 && !run.Output.Contains("import-python paused", StringComparison.Ordinal); i++)
            {
                Assert.False(run.HasExited, run.Output);
                await Task.Delay(100);
            }

            Assert.Contains("import-python paused", run.Output, StringComparison.Ordinal);
            await run.KillAsync();
        }

        var jobsAtKill = await PythonInstall.QueryAsync(install.Target.ConnectionString, "SELECT count(*) FROM upload_jobs", r => r.GetInt64(0));
        var filesAtKill = PythonInstall.Files(Path.Combine(install.HubStorage, "centers")).Count;
        var resumed = await install.ImportAsync();

        Assert.Equal(4, Assert.Single(jobsAtKill));
        Assert.Equal(5, filesAtKill);
        Assert.True(resumed.ExitCode == 0, resumed.StandardOutput + resumed.StandardError);
        Assert.Contains("upload jobs: 10 imported, 4 already imported, 0 unassignable, 0 conflicting, 0 failed", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("files: 9 copied", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 already in place", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash check: 6 equal, 0 differ", resumed.StandardOutput, StringComparison.Ordinal);
        await PythonImportAssertions.EveryJobImportedAsync(install);
        await PythonImportAssertions.ProcessedOutputsMatchSourceAsync(install);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(install.HubStorage, "incoming")));
    }

    [Fact]
    public async Task ImportPython_V07Line_CentersDerivedUnlinkedFilesBecomeJobsOrphanReported()
    {
        await using var install = await PythonInstall.CreateAsync("v0_7");

        var result = await install.ImportAsync();
        var again = await install.ImportAsync();

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("source: endoreg-db 0.7 schema; 2 center(s), 3 upload job(s), 2 report/video file(s) without one, 3 sensitive meta row(s)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unassignable job 7a000000-0000-4000-8000-000000000003: no center", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("upload jobs: 4 imported, 0 already imported, 1 unassignable, 0 conflicting, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sensitive meta: 3; processed outputs: 3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash check: 4 equal, 0 differ, 2 not stored by the original", result.StandardOutput, StringComparison.Ordinal);
        var jobs = await PythonInstall.QueryAsync(
            install.Target.ConnectionString,
            "SELECT j.id::text, c.center_key, c.name, j.content_type, j.status, j.ingest_mode FROM upload_jobs j JOIN centers c ON c.id = j.source_center_id",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
        var report = ReportJobId(1);
        Assert.Equal(
            new[]
            {
                ("7a000000-0000-4000-8000-000000000001", "klinikum-sued", "Klinikum Süd", "application/pdf", "anonymized", "api"),
                ("7a000000-0000-4000-8000-000000000002", "klinikum-sued", "Klinikum Süd", "video/mp4", "pending", "api"),
                ("7b000000-0000-4000-8000-000000000002", "klinikum-sued", "Klinikum Süd", "video/mp4", "pending", "watcher"),
                (report, "klinikum-sued", "Klinikum Süd", "application/pdf", "anonymized", "watcher"),
            }.OrderBy(j => j.Item1, StringComparer.Ordinal),
            jobs.OrderBy(j => j.Item1, StringComparer.Ordinal));
        var outputs = await PythonInstall.QueryAsync(install.Target.ConnectionString, $"SELECT kind FROM processed_artifact WHERE upload_job_id = '{report}' ORDER BY kind", r => r.GetString(0));
        Assert.Equal(["anonymized_pdf", "anonymized_text", "report_text"], outputs);
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains("upload jobs: 0 imported, 4 already imported, 1 unassignable", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPython_StandaloneHubOnSqlite_ImportsOnceAndSecondRunChangesNothing()
    {
        await using var install = await PythonInstall.CreateAsync("v1_0", sqliteHub: true);
        await SealAsOriginalAsync(install);

        var first = await install.ImportAsync();
        var files = PythonInstall.Files(install.HubStorage);
        var second = await install.ImportAsync();

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Contains("upload jobs: 14 imported, 0 already imported, 0 unassignable, 0 conflicting, 0 failed", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sensitive meta: 3; processed outputs: 4", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash check: 6 equal, 0 differ, 0 not stored by the original", first.StandardOutput, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.Contains("upload jobs: 0 imported, 14 already imported", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hash check: 6 equal, 0 differ", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(files, PythonInstall.Files(install.HubStorage));
        Assert.Equal(18, files.Keys.Count(k => k.StartsWith("centers/", StringComparison.Ordinal) || k.StartsWith("processed/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ImportPython_UnknownSchemaVersion_RefusedWithOneLineAndNothingImported()
    {
        await using var install = await PythonInstall.CreateAsync("v1_0");
        // The 1.0 columns with a history of only the initial migration: no release of the original looks like that.
        await PythonInstall.QueryAsync(install.Source.ConnectionString, "DELETE FROM django_migrations WHERE app = 'endoreg_db' AND name <> '0001_initial' RETURNING id", r => r.GetInt64(0));

        var result = await install.ImportAsync();

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("lxa-hub: unknown endoreg-db schema version (1 endoreg_db migration(s), last '0001_initial'", line, StringComparison.Ordinal);
        Assert.All((await PythonInstall.TablesAsync(install.Target.ConnectionString, TargetTables)).Values, v => Assert.StartsWith("0:", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportPython_ChangedAndMissingSourceFiles_ThoseJobsFailOthersImportAndARerunCompletes()
    {
        await using var install = await PythonInstall.CreateAsync("v1_0");
        await SealAsOriginalAsync(install);
        var changed = Path.Combine(install.PythonStorage, "uploads/upload_api/0c8a2d8e/export-6.txt");
        var missing = Path.Combine(install.PythonStorage, "uploads/upload_api/0c8a2d8e/export-7.txt");
        var original = await File.ReadAllBytesAsync(changed);
        await File.AppendAllTextAsync(changed, "tampered");
        File.Move(missing, missing + ".away");

        var failing = await install.ImportAsync();
        await File.WriteAllBytesAsync(changed, original);
        File.Move(missing + ".away", missing);
        var rerun = await install.ImportAsync();

        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("job 0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0006 not imported: its file does not match the content_hash the original recorded", failing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("job 0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0007 not imported: its file 'uploads/upload_api/0c8a2d8e/export-7.txt' is missing under the source storage root", failing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("upload jobs: 12 imported, 0 already imported, 0 unassignable, 0 conflicting, 2 failed", failing.StandardOutput, StringComparison.Ordinal);
        Assert.True(rerun.ExitCode == 0, rerun.StandardOutput + rerun.StandardError);
        Assert.Contains("upload jobs: 2 imported, 12 already imported, 0 unassignable, 0 conflicting, 0 failed", rerun.StandardOutput, StringComparison.Ordinal);
        await PythonImportAssertions.EveryJobImportedAsync(install);
    }

    [Fact]
    public async Task ImportPython_CentralHubWithoutMasterKey_RefusedBeforeReadingAnything()
    {
        await using var install = await PythonInstall.CreateAsync("v0_7");
        install.Environment["LX_ANNOTATE_MASTER_KEY"] = null;

        var result = await install.ImportAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("central_hub requires encrypted storage", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
        Assert.Empty(PythonInstall.Files(install.HubStorage));
    }

    /// <summary>The documented id of a report without an upload job: a version 8 UUID from SHA-256 of <c>endoreg_db_rawpdffile/&lt;id&gt;</c>.</summary>
    private static string ReportJobId(long rowId)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"endoreg_db_rawpdffile/{rowId}"))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes).Insert(20, "-").Insert(16, "-").Insert(12, "-").Insert(8, "-");
    }

    /// <summary>Replaces job 5's file by its LXENC01 encryption, written by the independent Python implementation of the format.</summary>
    private static async Task SealAsOriginalAsync(PythonInstall install)
    {
        var plain = Path.Combine(install.PythonStorage, SealedFile);
        var keyFile = install.Root.Combine("master.key");
        await File.WriteAllTextAsync(keyFile, TestMasterKey.Encode(install.Key) + "\n");
        var script = Path.Combine(Binaries.RepositoryRoot, "tests", "Hub.Tests", "Storage", "Encryption", "interop", "lxenc01.py");
        var sealedPath = plain + ".tmp";
        var python = await ProcessRunner.RunAsync("/usr/bin/python3", [script, "encrypt", keyFile, plain, sealedPath, "--chunk-size", "1024"], new Dictionary<string, string?>());
        Assert.True(python.ExitCode == 0, python.StandardError);
        File.Move(sealedPath, plain, overwrite: true);
        Assert.True(LxEnc01.IsEncryptedFile(plain));
    }
}
