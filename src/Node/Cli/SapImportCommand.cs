using System.CommandLine;
using System.Globalization;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.SapImport;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Cli;

/// <summary>
/// <c>lxa-node sap-import ZIP</c>: converts one SAP IS-H archive into preanonymized pairs (the zip itself
/// stays where it is). <c>--pending</c> processes everything waiting in <c>import/sap_import/</c> as
/// <c>run</c> would (processed/failed folders), for a systemd path unit. The original's spellings work too: the
/// verb <c>import_sap_ish_zip</c> (hidden) and the options <c>--output_dir</c>, <c>--source_system</c>,
/// <c>--center_key</c>, <c>--center_name</c>, <c>--manifest_path</c> and <c>--process</c>.
/// </summary>
internal static class SapImportCommand
{
    public const int FailedExitCode = 1;

    /// <summary>The original's management command, kept as a hidden alias of <c>sap-import</c>.</summary>
    public const string OriginalVerb = "import_sap_ish_zip";

    public static Command Create(string name = "sap-import")
    {
        var zip = new Argument<FileInfo?>("ZIP") { Arity = ArgumentArity.ZeroOrOne, Description = "The SAP IS-H zip of TSV tables." };
        var pending = new Option<bool>("--pending") { Description = "Process every archive waiting in import/sap_import/ and exit." };
        var waitSeconds = new Option<int>("--wait-seconds")
        {
            Description = "With --pending: how long to wait for archives still being copied (default 300).",
            DefaultValueFactory = _ => 300,
        };
        var outputDir = new Option<DirectoryInfo?>("--output-dir", "--output_dir") { Description = "Where the pairs go (default import/preanonymized_import); inside the data root." };
        var sourceSystem = new Option<string?>("--source-system", "--source_system") { Description = "Source system in the sidecars (default LXA_SAP_IMPORT_SOURCE_SYSTEM or sap_ish)." };
        var centerKey = new Option<string?>("--center-key", "--center_key") { Description = "Center to declare (default LXA_SAP_IMPORT_CENTER_KEY or the node's own)." };
        var centerName = new Option<string?>("--center-name", "--center_name") { Description = "Center name written into the sidecars." };
        var manifestPath = new Option<FileInfo?>("--manifest-path", "--manifest_path") { Description = "Manifest file (default under migration_staging/manifests/import_sap_ish_zip/); inside the data root." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Convert and report, but write no pair and no manifest." };
        var process = new Option<bool>("--process")
        {
            Description = "Accepted as the original's flag and recorded in the manifest; the node's watcher ingests the pairs from the drop folder in any case.",
        };
        var command = new Command(name, "Convert an SAP IS-H zip of TSV tables into preanonymized .txt/.json pairs.");
        command.Arguments.Add(zip);
        foreach (var option in new Option[] { pending, waitSeconds, outputDir, sourceSystem, centerKey, centerName, manifestPath, dryRun, process })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(async () =>
        {
            var archive = parseResult.GetValue(zip);
            if (parseResult.GetValue(pending) == (archive is not null))
            {
                await Console.Error.WriteLineAsync("lxa-node: sap-import needs either ZIP or --pending (not both)");
                return FailedExitCode;
            }

            // Converting contacts no hub, so the settings are resolved as for enrollment: no certificate needed.
            using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult), enrolling: true).Build();
            var paths = host.Services.GetRequiredService<DataPaths>();
            var settings = host.Services.GetRequiredService<NodeSettings>();
            paths.EnsureCreated();
            if (archive is null)
            {
                return await RunPendingAsync(host.Services.GetRequiredService<SapImportFolder>(), TimeSpan.FromSeconds(parseResult.GetValue(waitSeconds)), cancellationToken);
            }

            var request = new SapImportRequest(
                archive.FullName,
                parseResult.GetValue(outputDir)?.FullName,
                parseResult.GetValue(sourceSystem) ?? settings.SapImportSourceSystem,
                parseResult.GetValue(centerKey) ?? settings.SapImportCenterKey,
                parseResult.GetValue(centerName) ?? settings.SapImportCenterName,
                parseResult.GetValue(manifestPath)?.FullName,
                parseResult.GetValue(dryRun),
                parseResult.GetValue(process));
            return await ConvertAsync(new SapImporter(paths, settings.SapImportLimits, TimeProvider.System), request, cancellationToken);
        }));
        return command;
    }

    /// <summary>Converts one archive and prints what was generated; a refused archive is one line on stderr.</summary>
    private static async Task<int> ConvertAsync(SapImporter importer, SapImportRequest request, CancellationToken cancellationToken)
    {
        try
        {
            Print(importer.Run(request, cancellationToken));
            return 0;
        }
        catch (SapImportException ex)
        {
            await Console.Error.WriteLineAsync($"lxa-node: sap-import: {ex.Message}; no pair was written");
            return FailedExitCode;
        }
    }

    private static async Task<int> RunPendingAsync(SapImportFolder folder, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        int processed = 0, failed = 0;
        while (true)
        {
            var scan = await folder.ScanOnceAsync(cancellationToken);
            processed += scan.Processed;
            failed += scan.Failed;
            if (scan.Waiting == 0)
            {
                break;
            }

            var now = DateTimeOffset.UtcNow;
            if (now >= deadline)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scan.Waiting} archive(s) still being written; left for the next run"));
                failed += scan.Waiting;
                break;
            }

            var next = scan.NextLook ?? now + TimeSpan.FromSeconds(1);
            var pause = (next < deadline ? next : deadline) - now;
            await Task.Delay(pause > TimeSpan.FromMilliseconds(50) ? pause : TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{processed} archive(s) converted, {failed} failed (see import/sap_import_failed/)"));
        return failed == 0 ? 0 : FailedExitCode;
    }

    private static void Print(SapImportReport report)
    {
        var c = report.Conversion;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(report.DryRun ? "Dry run: would generate" : "Generated")} {report.Files.Count} pair(s) from {c.MatchedTables.Count} table file(s); {c.SkippedTables.Count} table file(s) skipped; {c.DroppedRows} row(s) without patient dropped"));
        foreach (var table in c.MatchedTables)
        {
            Console.WriteLine($"matched: {table}");
        }

        foreach (var table in c.SkippedTables)
        {
            Console.WriteLine($"skipped: {table.EntryName} ({table.Reason})");
        }

        foreach (var file in report.Files)
        {
            Console.WriteLine($"{Path.GetFileName(file.Carrier)}\t{file.DocumentType}");
        }

        if (report.ManifestPath is not null)
        {
            Console.WriteLine($"manifest: {report.ManifestPath}");
        }
    }
}
