using System.IO.Compression;
using System.Text.Json;
using System.Text;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The real <c>lxa-node</c>: SAP IS-H zips converted into preanonymized pairs and delivered to the real hub.</summary>
public sealed class SapImportEndToEndTests
{
    private static void WriteExport(string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string name, string text)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(Encoding.UTF8.GetBytes(text));
        }

        Add("export/briefe.txt", "PatientNr\tFallNr\tdateErstellzeit\tstrText\r\n1001\t2001\t2024-05-17 09:30:00\t\"Arztbrief\tmit Tab\"\r\n");
        Add("export/patienten.txt", "PatientNr\tPatientAlter\tGeschlecht\r\n1001\t54\tw\r\n");
        Add("export/labor.txt", "PatientNr\tFallNr\tDokumentzeit\tLeistung\tLeistungstext\tMesswert\r\n1002\t3002\t2024-05-18 08:00\tHB\tHb\t12\r\n");
    }

    [Fact]
    public async Task Run_ZipDroppedInSapImport_PairsArriveAsJobsWithSidecarProvenance()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        node.Environment["LXA_SAP_IMPORT_CENTER_KEY"] = "center-a";
        node.Environment["LXA_SAP_IMPORT_CENTER_NAME"] = "Klinik A";
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var folder = node.Root.Combine("import", "sap_import");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(folder)), run);

        WriteExport(Path.Combine(folder, "export.zip.part"));
        File.Move(Path.Combine(folder, "export.zip.part"), Path.Combine(folder, "export.zip"));

        List<LxAnnotate.Hub.Domain.UploadJob> jobs = [];
        await WaitForAsync(async () =>
        {
            await using var db = hub.Db();
            jobs = await db.UploadJobs.AsNoTracking().ToListAsync();
            return jobs.Count >= 2;
        }, run);
        await Task.Delay(500);
        await using (var db = hub.Db())
        {
            jobs = await db.UploadJobs.AsNoTracking().OrderBy(j => j.OriginalFilename).ToListAsync();
        }

        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("text/plain", j.ContentType));
        Assert.All(jobs, j => Assert.Equal("sap_ish", j.SourceSystem));
        Assert.Equal(["sap_ish_0001_briefe_1001_2001.txt", "sap_ish_0002_labor_1002_3002.txt"], jobs.Select(j => j.OriginalFilename));
        var briefe = jobs[0].ProcessingProvenance;
        Assert.Equal("center-a", briefe.DeclaredCenterKey);
        var sidecar = briefe.Sidecar!;
        Assert.Equal(("1001", "sap_ish:center-a", "2001"), (sidecar.ExternalId, sidecar.ExternalIdOrigin, sidecar.Casenumber));
        Assert.Equal(("female", "briefe", "Klinik A"), (sidecar.PatientGender, sidecar.SourceDocumentType, sidecar.CenterName));
        Assert.Equal(("2024-05-17", "09:30:00"), (sidecar.ExaminationDate, sidecar.ExaminationTime));
        Assert.Equal(jobs[0].ContentHash, sidecar.FileSha256);
        Assert.Equal("labor", jobs[1].ProcessingProvenance.Sidecar!.SourceDocumentType);

        Assert.True(File.Exists(node.Root.Combine("import", "sap_import_processed", "export.zip")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(node.Root.Combine("migration_staging", "sap_import")));
        Assert.Single(Directory.EnumerateFiles(node.Root.Combine("migration_staging", "manifests", "import_sap_ish_zip")));
    }

    [Fact]
    public async Task SapImport_OneShotAndPending_ConvertAndSortArchivesWithExitCodes()
    {
        using var root = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["WATCHER_STABLE_AFTER_SECONDS"] = "1",
        };
        var zip = root.Combine("export.zip");
        WriteExport(zip);

        var oneShot = await ProcessRunner.RunDotnetAsync(Binaries.Node, ["sap-import", zip, "--center-key", "center-a"], environment, TimeSpan.FromMinutes(2));

        Assert.True(oneShot.ExitCode == 0, oneShot.StandardError);
        Assert.Contains("Generated 2 pair(s) from 3 table file(s); 0 table file(s) skipped", oneShot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sap_ish_0001_briefe_1001_2001.txt\tbriefe", oneShot.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(zip), "a one-shot import leaves the zip where it is");
        Assert.Equal(4, Directory.GetFiles(root.Combine("import", "preanonymized_import")).Length);

        var refused = await ProcessRunner.RunDotnetAsync(Binaries.Node, ["sap-import", zip, "--output-dir", "/tmp"], environment, TimeSpan.FromMinutes(2));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("outside the data root", refused.StandardError, StringComparison.Ordinal);

        var drop = root.Combine("import", "sap_import");
        WriteExport(Path.Combine(drop, "good.zip"));
        await File.WriteAllTextAsync(Path.Combine(drop, "bad.zip"), "not a zip");

        var pending = await ProcessRunner.RunDotnetAsync(Binaries.Node, ["sap-import", "--pending"], environment, TimeSpan.FromMinutes(2));

        Assert.Equal(1, pending.ExitCode);
        Assert.Contains("1 archive(s) converted, 1 failed", pending.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(root.Combine("import", "sap_import_processed", "good.zip")));
        using var reason = JsonDocument.Parse(await File.ReadAllBytesAsync(root.Combine("import", "sap_import_failed", "bad.zip.reason.json")));
        Assert.Contains("not a readable zip", reason.RootElement.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, Directory.GetFiles(root.Combine("import", "preanonymized_import")).Length);
    }

    [Fact]
    public async Task ImportSapIshZip_TheOriginalsVerbAndFlags_ManifestAndSidecarsAsTheOriginalWritesThem()
    {
        using var root = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
        };
        var zip = root.Combine("export.zip");
        WriteExport(zip);
        var output = root.Combine("import", "preanonymized_import");
        var manifest = root.Combine("migration_staging", "manifests", "sap.json");

        // An operator's script for the original, with only the program name changed.
        var result = await ProcessRunner.RunDotnetAsync(Binaries.Node,
            ["import_sap_ish_zip", zip, "--output_dir", output, "--source_system", "sap_ish", "--center_key", "center-a",
             "--center_name", "Universitätsklinik Würzburg", "--manifest_path", manifest, "--process"],
            environment, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(manifest));
        var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "command", "created_at", "zip_path", "output_dir", "source_system", "center_name", "center_key", "process",
            "generated_files", "matched_source_files", "skipped_source_files" }, keys);
        Assert.True(document.RootElement.GetProperty("process").GetBoolean());
        Assert.EndsWith("+00:00", document.RootElement.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        var generated = document.RootElement.GetProperty("generated_files")[0];
        Assert.Equal(["carrier_path", "document_type", "sidecar_path"], generated.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // ensure_ascii=True: the sidecar holds no byte above 0x7F; "ä" and "ü" are \u00e4 and \u00fc.
        var sidecar = await File.ReadAllBytesAsync(generated.GetProperty("sidecar_path").GetString()!);
        Assert.All(sidecar, b => Assert.True(b < 0x80));
        Assert.Contains("\"center_name\": \"Universit\\u00e4tsklinik W\\u00fcrzburg\",", Encoding.ASCII.GetString(sidecar), StringComparison.Ordinal);
        Assert.Equal("Universitätsklinik Würzburg", JsonDocument.Parse(sidecar).RootElement.GetProperty("center_name").GetString());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, ChildProcess run)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.False(run.HasExited, "lxa-node run exited:\n" + run.Output);
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 2 minutes; node output:\n" + run.Output);
            await Task.Delay(100);
        }
    }
}
