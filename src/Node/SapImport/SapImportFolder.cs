using System.Globalization;
using System.Text.Json;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// The <c>import/sap_import/</c> drop folder: a zip is taken once its (device, inode, size, mtime) stayed
/// the same for <c>WATCHER_STABLE_AFTER_SECONDS</c> (the watcher's readiness rule), converted into
/// <c>import/preanonymized_import/</c>, and moved to <c>sap_import_processed/</c>, or to
/// <c>sap_import_failed/</c> with a <c>&lt;zip&gt;.reason.json</c>. The pairs are then ingested by the
/// drop-folder watcher like any preanonymized export.
/// </summary>
internal sealed partial class SapImportFolder(
    DataPaths paths,
    NodeSettings settings,
    TimeProvider time,
    ILogger<SapImportFolder> logger)
{
    public const string Boundary = "sap_import";

    private readonly FileTracker tracker = new(settings.StableAfter, time);

    /// <summary>Looks at every top-level entry once; converts the stable zips.</summary>
    public async Task<FolderScanResult> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var names = ListEntries();
        if (names is null)
        {
            return new FolderScanResult(0, 0, 0, null);
        }

        int processed = 0, failed = 0, waiting = 0;
        DateTimeOffset? nextLook = null;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DropFileNames.IsIgnored(name))
            {
                continue;
            }

            var path = Path.Combine(paths.SapImport, name);
            if (!NativeStat.TryLstat(path, out var stat) || stat.Kind == FileKind.Directory)
            {
                continue;
            }

            present.Add(path);
            if (stat.Kind == FileKind.Regular && !tracker.IsStable(path, stat.Signature, out var readyAt))
            {
                waiting++;
                nextLook = nextLook is { } earlier && earlier < readyAt ? earlier : readyAt;
                continue;
            }

            if (await TakeAsync(path, stat.Kind, cancellationToken))
            {
                processed++;
            }
            else
            {
                failed++;
            }
        }

        tracker.KeepOnly(present);
        if (processed + failed > 0)
        {
            LogScanned(logger, paths.SapImport, processed, failed, waiting);
        }

        return new FolderScanResult(processed, failed, waiting, nextLook);
    }

    /// <summary>The folder's entry names in ordinal order, or null (logged) when it cannot be read.</summary>
    private string[]? ListEntries()
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(paths.SapImport).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogFolderUnreadable(logger, paths.SapImport, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Converts a stable entry, or moves it to the failed folder; true when it was converted.</summary>
    private async Task<bool> TakeAsync(string path, FileKind kind, CancellationToken cancellationToken)
    {
        if (kind != FileKind.Regular)
        {
            await FailAsync(path, "not a regular file (a link, FIFO, socket or device); it was moved here untouched", cancellationToken);
            return false;
        }

        tracker.Forget(path);
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(path, "only .zip archives are accepted in sap_import", cancellationToken);
            return false;
        }

        return await ImportAsync(path, cancellationToken);
    }

    private async Task<bool> ImportAsync(string zip, CancellationToken cancellationToken)
    {
        var importer = new SapImporter(paths, settings.SapImportLimits, time);
        var request = new SapImportRequest(zip, OutputDir: null, settings.SapImportSourceSystem, settings.SapImportCenterKey, settings.SapImportCenterName, ManifestPath: null, DryRun: false);
        string why;
        try
        {
            var report = await Task.Run(() => importer.Run(request, cancellationToken), cancellationToken);
            MoveAside(zip, paths.SapImportProcessed);
            LogImported(logger, report.Files.Count, report.Conversion.MatchedTables.Count, report.Conversion.SkippedTables.Count, report.Conversion.DroppedRows);
            return true;
        }
        catch (SapImportException ex)
        {
            why = ex.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Only the type: I/O messages carry paths, and paths carry file names.
            why = $"the import failed unexpectedly ({ex.GetType().FullName}); no pair was kept";
        }

        await FailAsync(zip, why, CancellationToken.None);
        LogFailed(logger, paths.SapImportFailed);
        return false;
    }

    private async Task FailAsync(string path, string why, CancellationToken cancellationToken)
    {
        var target = MoveAside(path, paths.SapImportFailed);
        var reason = new QuarantineReason(Path.GetFileName(target), "sap_import_failed", why, time.GetUtcNow(), Boundary);
        var reasonFile = target + ".reason.json";

        // Written aside and renamed, so a reader never sees half a reason file.
        await File.WriteAllTextAsync(reasonFile + ".tmp", JsonSerializer.Serialize(reason, QuarantineReasonJson.Default.QuarantineReason), cancellationToken);
        File.Move(reasonFile + ".tmp", reasonFile, overwrite: true);
    }

    private static string MoveAside(string path, string folder)
    {
        Directory.CreateDirectory(folder);
        var name = Path.GetFileName(path);
        var target = Path.Combine(folder, name);
        for (var i = 1; File.Exists(target) || File.Exists(target + ".reason.json") || new FileInfo(target).LinkTarget is not null; i++)
        {
            target = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(name)}.{i}{Path.GetExtension(name)}"));
        }

        File.Move(path, target, overwrite: false);
        return target;
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information,
        Message = "SAP IS-H archive converted: {Pairs} pairs from {Matched} tables ({Skipped} tables skipped, {Dropped} rows without patient dropped)")]
    private static partial void LogImported(ILogger logger, int pairs, int matched, int skipped, int dropped);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "SAP IS-H archive refused; it was moved to {FailedDir} with a reason file")]
    private static partial void LogFailed(ILogger logger, string failedDir);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Scanned {Folder}: {Processed} archives converted, {Failed} failed, {Waiting} waiting")]
    private static partial void LogScanned(ILogger logger, string folder, int processed, int failed, int waiting);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "SAP import folder {Folder} cannot be read ({ErrorType}); retrying")]
    private static partial void LogFolderUnreadable(ILogger logger, string folder, string errorType);
}
