using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Node.Sidecars;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Watcher;

/// <summary>
/// Takes ready files from the drop folders and hands them to the outbox (ARCHITECTURE §2). File-system
/// events only nudge a scan, and a full scan also runs every <c>PollInterval</c>, so a lost event or a
/// restart never strands a file. The scan is the one place where decisions are made, on one thread, so
/// nothing races between event handlers. The watcher never deletes: a file leaves a drop folder only into
/// the outbox or into quarantine.
/// </summary>
internal sealed partial class DropFolderWatcher(
    DataPaths paths,
    NodeSettings settings,
    IOutbox outbox,
    QuarantineStore quarantine,
    TimeProvider time,
    ILogger<DropFolderWatcher> logger) : BackgroundService
{
    public const string Boundary = "watcher";

    /// <summary>Unexpected failures tolerated per file before it goes to quarantine.</summary>
    public const int MaxAttempts = 5;

    private const int MaxExtensionInReason = 16;

    private static readonly TimeSpan EventCoalescing = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumWait = TimeSpan.FromDays(1);
    private static readonly DateTimeOffset Never = DateTimeOffset.MaxValue;

    private readonly IReadOnlyList<WatchedFolder> folders = WatchedFolder.All(paths);
    private readonly Dictionary<string, TrackedFile> tracked = new(StringComparer.Ordinal);
    private readonly HashSet<string> unreadableFolders = new(StringComparer.Ordinal);
    private readonly HashSet<string> foldersWithoutEvents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileSystemWatcher> eventSources = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> brokenEventSources = new();
    private readonly Channel<bool> nudges = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EnsureStatxAvailable();
        foreach (var folder in folders)
        {
            LogWatching(logger, folder.Path, folder.Entrypoint);
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ArmEventSources();
                var wait = await ScanOnceAsync(stoppingToken);
                await WaitForNudgeAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var source in eventSources.Values)
            {
                source.Dispose();
            }

            eventSources.Clear();
        }
    }

    /// <summary>
    /// One full pass over every drop folder; returns how long until something needs another look
    /// (a file that becomes stable, a sidecar deadline), at most <c>PollInterval</c>.
    /// </summary>
    internal async Task<TimeSpan> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        var nextLook = time.GetUtcNow() + settings.PollInterval;
        foreach (var folder in folders)
        {
            var due = await ScanFolderAsync(folder, present, cancellationToken);
            if (due < nextLook)
            {
                nextLook = due;
            }
        }

        foreach (var gone in tracked.Keys.Where(p => !present.Contains(p)).ToList())
        {
            tracked.Remove(gone);
        }

        var wait = nextLook - time.GetUtcNow();
        return wait < MinimumWait ? MinimumWait : wait > MaximumWait ? MaximumWait : wait;
    }

    private void EnsureStatxAvailable()
    {
        try
        {
            NativeStat.TryLstat(paths.ImportRoot, out _);
        }
        catch (PlatformNotSupportedException ex)
        {
            // Without lstat-level facts a FIFO or a link cannot be told from a file: refuse to run rather
            // than guess with patient data.
            LogStatxUnavailable(logger, ex.Message);
            throw;
        }
        catch (IOException)
        {
            // The scan reports an unreadable folder on its own.
        }
    }

    private async Task<DateTimeOffset> ScanFolderAsync(WatchedFolder folder, HashSet<string> present, CancellationToken cancellationToken)
    {
        string[] names;
        try
        {
            // Top level only: subfolders are neither recursed nor taken.
            names = [.. Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (unreadableFolders.Add(folder.Name))
            {
                LogFolderUnreadable(logger, folder.Path, ex.GetType().Name);
            }

            return Never;
        }

        if (unreadableFolders.Remove(folder.Name))
        {
            LogFolderReadable(logger, folder.Path);
        }

        Array.Sort(names, StringComparer.Ordinal);
        var listing = new HashSet<string>(names, StringComparer.Ordinal);
        var tally = new ScanTally();
        var due = Never;
        foreach (var name in names)
        {
            if (DropFileNames.IsIgnored(name))
            {
                continue;
            }

            var path = Path.Combine(folder.Path, name);
            present.Add(path);
            try
            {
                var entryDue = await ConsiderAsync(folder, path, listing, tally, cancellationToken);
                if (entryDue < due)
                {
                    due = entryDue;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (PlatformNotSupportedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                // One file's trouble never stops the others; it is retried on the next scan.
                await RecordFailureAsync(folder, path, listing, ex, tally);
            }
        }

        if (tally.AnythingHappened)
        {
            LogScanned(logger, folder.Path, tally.Admitted, tally.Duplicates, tally.Quarantined, tally.Failed, tally.Waiting);
        }

        return due;
    }

    /// <summary>Decides about one top-level entry; returns when it needs another look.</summary>
    private async Task<DateTimeOffset> ConsiderAsync(WatchedFolder folder, string path, IReadOnlySet<string> listing, ScanTally tally, CancellationToken cancellationToken)
    {
        if (!NativeStat.TryLstat(path, out var stat))
        {
            return Never;
        }

        switch (stat.Kind)
        {
            case FileKind.Directory:
                return Never;
            case FileKind.SymbolicLink:
                await QuarantineAsync([path], "symlink", "symbolic links are never followed; the link itself was moved here, its target was not touched", tally);
                return Never;
            case FileKind.Special:
                await QuarantineAsync([path], "special_file", "not a regular file (FIFO, socket or device); it was never opened", tally);
                return Never;
        }

        var extension = Path.GetExtension(path);
        if (folder.RequiresSidecar && extension.Equals(WatchedFolder.SidecarExtension, StringComparison.OrdinalIgnoreCase))
        {
            // A sidecar goes with its file; its stability clock starts as soon as it appears. Alone it is left alone.
            IsStable(path, stat.Signature, out _);
            return Never;
        }

        if (!IsStable(path, stat.Signature, out var readyAt))
        {
            tally.Waiting++;
            return readyAt;
        }

        if (!folder.ContentTypes.TryGetValue(extension, out var contentType))
        {
            await QuarantineAsync([path], "refused_type", RefusedTypeReason(folder, extension), tally);
            return Never;
        }

        if (!folder.RequiresSidecar)
        {
            await AdmitAsync(folder, new OutboxArtifact(path, contentType, folder.Entrypoint, CenterKey: null, settings.SourceSystem), tally, cancellationToken);
            return Never;
        }

        return await ConsiderPairAsync(folder, path, contentType, listing, tally, cancellationToken);
    }

    private async Task<DateTimeOffset> ConsiderPairAsync(
        WatchedFolder folder, string path, string contentType, IReadOnlySet<string> listing, ScanTally tally, CancellationToken cancellationToken)
    {
        var entry = tracked[path];
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
            return Never;
        }

        entry.SidecarMissingSince = null;
        if (!IsStable(sidecarPath, sidecarStat.Signature, out var sidecarReadyAt))
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
            return Never;
        }

        var artifact = new OutboxArtifact(
            path, contentType, folder.Entrypoint, sidecar!.CenterKey, sidecar.SourceSystem ?? settings.SourceSystem, sidecarPath, sidecar.FileSha256,
            sidecar.ProvenanceHints);
        await AdmitAsync(folder, artifact, tally, cancellationToken);
        return Never;
    }

    private async Task AdmitAsync(WatchedFolder folder, OutboxArtifact artifact, ScanTally tally, CancellationToken cancellationToken)
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

        Forget(artifact.SourcePath);
        if (artifact.SidecarPath is { } taken)
        {
            Forget(taken);
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

    private async Task QuarantineAsync(IReadOnlyList<string> files, string what, string why, ScanTally tally)
    {
        // Not cancellable: a file moved without its reason file would leave the operator guessing.
        await quarantine.QuarantineAsync(files, what, why, Boundary, CancellationToken.None);
        foreach (var file in files)
        {
            Forget(file);
        }

        tally.Quarantined++;
    }

    private async Task RecordFailureAsync(WatchedFolder folder, string path, IReadOnlySet<string> listing, Exception error, ScanTally tally)
    {
        tally.Failed++;
        if (!tracked.TryGetValue(path, out var entry))
        {
            tracked[path] = entry = new TrackedFile(default, time.GetUtcNow());
        }

        entry.Failures++;

        // Only the exception type: I/O messages carry paths, and paths carry file names.
        var errorType = error.GetType().Name;
        LogAttemptFailed(logger, folder.Path, errorType, entry.Failures, MaxAttempts);
        if (entry.Failures < MaxAttempts)
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

    private bool IsStable(string path, FileSignature signature, out DateTimeOffset readyAt)
    {
        var now = time.GetUtcNow();
        if (tracked.TryGetValue(path, out var entry))
        {
            entry.Observe(signature, now);
        }
        else
        {
            tracked[path] = entry = new TrackedFile(signature, now);
        }

        readyAt = entry.Since + settings.StableAfter;
        return now >= readyAt;
    }

    private void Forget(string path) => tracked.Remove(path);

    private static string? FindSidecar(WatchedFolder folder, string path, IReadOnlySet<string> listing)
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

    private static string RefusedTypeReason(WatchedFolder folder, string extension) => extension.Length switch
    {
        0 => $"files without an extension are not accepted in {folder.Name} (accepted: {folder.AcceptedList})",
        > MaxExtensionInReason => $"the extension is not accepted in {folder.Name} (accepted: {folder.AcceptedList})",
        _ => $"extension '{extension}' is not accepted in {folder.Name} (accepted: {folder.AcceptedList})",
    };

    private void ArmEventSources()
    {
        while (brokenEventSources.TryDequeue(out var name))
        {
            if (eventSources.Remove(name, out var broken))
            {
                broken.Dispose();
            }
        }

        foreach (var folder in folders)
        {
            if (eventSources.ContainsKey(folder.Name) || !Directory.Exists(folder.Path))
            {
                continue;
            }

            try
            {
                eventSources[folder.Name] = CreateEventSource(folder);
                foldersWithoutEvents.Remove(folder.Name);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // Polling still finds every file, only later.
                if (foldersWithoutEvents.Add(folder.Name))
                {
                    LogEventsUnavailable(logger, folder.Path, ex.GetType().Name);
                }
            }
        }
    }

    private FileSystemWatcher CreateEventSource(WatchedFolder folder)
    {
        var source = new FileSystemWatcher(folder.Path)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            InternalBufferSize = 64 * 1024,
            IncludeSubdirectories = false,
        };
        source.Created += OnChanged;
        source.Changed += OnChanged;
        source.Renamed += OnChanged;
        source.Error += (_, e) =>
        {
            // Events were lost (buffer overflow) or the watch broke: recreate it and rescan everything.
            LogEventsLost(logger, folder.Path, e.GetException().GetType().Name);
            brokenEventSources.Enqueue(folder.Name);
            Nudge();
        };
        try
        {
            source.EnableRaisingEvents = true;
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private void OnChanged(object? sender, FileSystemEventArgs e) => Nudge();

    private void Nudge() => nudges.Writer.TryWrite(true);

    private async Task WaitForNudgeAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using (var timer = new CancellationTokenSource(wait, time))
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token))
        {
            try
            {
                await nudges.Reader.ReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }

        // A copy in progress raises an event per write; one scan after a short pause covers the burst.
        await Task.Delay(EventCoalescing < settings.PollInterval ? EventCoalescing : settings.PollInterval, time, stoppingToken);
        while (nudges.Reader.TryRead(out _))
        {
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Watching drop folder {Folder} ({Entrypoint})")]
    private static partial void LogWatching(ILogger logger, string folder, string entrypoint);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information,
        Message = "Scanned {Folder}: {Admitted} admitted, {Duplicates} duplicates removed, {Quarantined} quarantined, {Failed} failed, {Waiting} waiting")]
    private static partial void LogScanned(ILogger logger, string folder, int admitted, int duplicates, int quarantined, int failed, int waiting);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "A file dropped in {Folder} duplicated content already in the outbox; the outbox removed the copy")]
    private static partial void LogDuplicateRemoved(ILogger logger, string folder);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "File-system events of {Folder} were lost ({ErrorType}); rescanning the folder")]
    private static partial void LogEventsLost(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Taking a file from {Folder} failed ({ErrorType}), attempt {Attempt} of {MaxAttempts}; it stays in place")]
    private static partial void LogAttemptFailed(ILogger logger, string folder, string errorType, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Error, Message = "A file in {Folder} could not be moved to quarantine ({ErrorType}); it stays in place")]
    private static partial void LogQuarantineFailed(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "Drop folder {Folder} cannot be read ({ErrorType}); retrying on every scan")]
    private static partial void LogFolderUnreadable(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Information, Message = "Drop folder {Folder} can be read again")]
    private static partial void LogFolderReadable(ILogger logger, string folder);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Warning, Message = "No file-system events for {Folder} ({ErrorType}); files are found by the periodic scan only")]
    private static partial void LogEventsUnavailable(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Critical, Message = "The drop-folder watcher cannot start: {Problem}")]
    private static partial void LogStatxUnavailable(ILogger logger, string problem);
}
