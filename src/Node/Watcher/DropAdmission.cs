using System.Globalization;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Node.Sidecars;
using LxAnnotate.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Watcher;

/// <summary>
/// What happens to a ready drop: taken by the outbox (with its sidecar, parsed here once) or moved to
/// quarantine with a reason. The watcher never deletes: a file leaves a drop folder only these two ways.
/// </summary>
internal sealed partial class DropAdmission(
    NodeSettings settings, IOutbox outbox, QuarantineStore quarantine, FileTracker tracker, TimeProvider time, ILogger logger)
{
    private const int SqliteFull = 13;

    /// <summary>
    /// Decides about a stable file of a folder that requires sidecars: waits for its sidecar (up to
    /// <c>SidecarWait</c>), parses it once and takes the pair; returns when it needs another look.
    /// </summary>
    public async Task<DateTimeOffset> ConsiderPairAsync(
        WatchedFolder folder, string path, string contentType, IReadOnlySet<string> listing, ScanTally tally, CancellationToken cancellationToken)
    {
        var entry = tracker[path];
        var now = time.GetUtcNow();
        var sidecarPath = FindSidecar(folder, path, listing);
        FileStat sidecarStat = default;
        if (sidecarPath is null || !NativeStat.TryLstat(sidecarPath, out sidecarStat) || sidecarStat.Kind != FileKind.Regular)
        {
            // The wait starts when the file is complete, so a long copy does not eat into it.
            entry.SidecarMissingSince ??= now;
            var deadline = entry.SidecarMissingSince.Value + settings.SidecarWait;
            if (now < deadline)
            {
                tally.Waiting++;
                return deadline;
            }

            var seconds = settings.SidecarWait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            await QuarantineAsync([path], "missing_sidecar", $"no matching .json sidecar appeared within {seconds} s after the file was complete", tally);
            return DateTimeOffset.MaxValue;
        }

        entry.SidecarMissingSince = null;
        if (!tracker.IsStable(sidecarPath, sidecarStat.Signature, out var sidecarReadyAt))
        {
            tally.Waiting++;
            return sidecarReadyAt;
        }

        var json = NativeStat.ReadIfUnchanged(sidecarPath, sidecarStat.Signature, SidecarReader.MaxBytes + 1);
        if (json is null)
        {
            // Replaced since it was looked at; the next scan sees the new one and restarts its clock.
            tally.Waiting++;
            return now;
        }

        if (!SidecarReader.TryParse(json, out var sidecar, out var problem))
        {
            await QuarantineAsync([path, sidecarPath], "invalid_sidecar", problem!, tally);
            return DateTimeOffset.MaxValue;
        }

        var artifact = new OutboxArtifact(
            path, contentType, folder.Entrypoint, sidecar!.CenterKey, sidecar.SourceSystem ?? settings.SourceSystem, sidecarPath, sidecar.FileSha256,
            sidecar.ProvenanceHints);
        await AdmitAsync(folder, artifact, tally, cancellationToken);
        return DateTimeOffset.MaxValue;
    }

    public async Task AdmitAsync(WatchedFolder folder, OutboxArtifact artifact, ScanTally tally, CancellationToken cancellationToken)
    {
        AdmitOutcome outcome;
        try
        {
            outcome = await outbox.AdmitAsync(artifact, cancellationToken);
        }
        catch (ArtifactRefusedException ex)
        {
            string[] files = artifact.SidecarPath is { } sidecar ? [artifact.SourcePath, sidecar] : [artifact.SourcePath];
            await QuarantineAsync(files, "refused", ex.Message, tally);
            return;
        }

        tracker.Forget(artifact.SourcePath);
        if (artifact.SidecarPath is { } taken)
        {
            tracker.Forget(taken);
        }

        if (outcome == AdmitOutcome.Duplicate)
        {
            tally.Duplicates++;
            LogDuplicateRemoved(logger, folder.Path);
        }
        else
        {
            tally.Admitted++;
        }
    }

    public async Task QuarantineAsync(IReadOnlyList<string> files, string what, string why, ScanTally tally)
    {
        // Not cancellable: a file moved without its reason file would leave the operator guessing.
        await quarantine.QuarantineAsync(files, what, why, DropFolderWatcher.Boundary, CancellationToken.None);
        foreach (var file in files)
        {
            tracker.Forget(file);
        }

        tally.Quarantined++;
    }

    /// <summary>Counts an unexpected failure; after <see cref="DropFolderWatcher.MaxAttempts"/> the file (and its sidecar) go to quarantine.</summary>
    public async Task RecordFailureAsync(WatchedFolder folder, string path, IReadOnlySet<string> listing, Exception error, ScanTally tally)
    {
        tally.Failed++;
        var entry = tracker.ForFailure(path);
        entry.Failures++;

        // Only the exception type: I/O messages carry paths, and paths carry file names.
        var errorType = error.GetType().Name;
        if (IsNoSpace(error))
        {
            // A full disk is the node's condition, not the file's (and a quarantine needs space too): the file
            // stays where it is, uncounted, and is taken at a scan once space is freed.
            LogNoSpace(logger, folder.Path, errorType);
            return;
        }

        LogAttemptFailed(logger, folder.Path, errorType, entry.Failures, DropFolderWatcher.MaxAttempts);
        if (entry.Failures < DropFolderWatcher.MaxAttempts)
        {
            return;
        }

        string[] files = folder.RequiresSidecar && FindSidecar(folder, path, listing) is { } sidecar ? [path, sidecar] : [path];
        try
        {
            await QuarantineAsync(files, "admit_failed", $"taking the file failed {entry.Failures} times; last error: {error.GetType().FullName}", tally);
        }
        catch (Exception ex)
        {
            // Still nothing is deleted: the file stays where it is and the next scan tries again.
            LogQuarantineFailed(logger, folder.Path, ex.GetType().Name);
        }
    }

    /// <summary>The node's disk is full: SQLite's SQLITE_FULL, or ENOSPC / EDQUOT from the file system.</summary>
    internal static bool IsNoSpace(Exception error) => error switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        IOException io => io.IsNoSpace(),
        _ => false,
    };

    public static string? FindSidecar(WatchedFolder folder, string path, IReadOnlySet<string> listing)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var exact = stem + WatchedFolder.SidecarExtension;
        if (listing.Contains(exact))
        {
            return Path.Combine(folder.Path, exact);
        }

        // Exporters on Windows write ".JSON"; the stem still has to match exactly.
        foreach (var name in listing)
        {
            if (name.Length == exact.Length && name.StartsWith(stem, StringComparison.Ordinal) &&
                name.EndsWith(WatchedFolder.SidecarExtension, StringComparison.OrdinalIgnoreCase))
            {
                return Path.Combine(folder.Path, name);
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "A file dropped in {Folder} duplicated content already in the outbox; the outbox removed the copy")]
    private static partial void LogDuplicateRemoved(ILogger logger, string folder);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Taking a file from {Folder} failed ({ErrorType}), attempt {Attempt} of {MaxAttempts}; it stays in place")]
    private static partial void LogAttemptFailed(ILogger logger, string folder, string errorType, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 4215, Level = LogLevel.Error, Message = "Taking a file from {Folder} failed: the node's disk is full ({ErrorType}); it stays in place and is taken once space is freed")]
    private static partial void LogNoSpace(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Error, Message = "A file in {Folder} could not be moved to quarantine ({ErrorType}); it stays in place")]
    private static partial void LogQuarantineFailed(ILogger logger, string folder, string errorType);
}
