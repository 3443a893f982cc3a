using System.Globalization;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Sniffing;

namespace LxAnnotate.Node.Watcher;

/// <summary>
/// Takes ready files from the drop folders and hands them to the outbox (ARCHITECTURE §2). File-system
/// events only nudge a scan, and a full scan also runs every <c>PollInterval</c>, so a lost event or a
/// restart never strands a file. The scan is the one place where decisions are made, on one thread, so
/// nothing races between event handlers. The watcher never deletes: a file leaves a drop folder only into
/// the outbox or into quarantine.
/// </summary>
internal sealed partial class DropFolderWatcher : BackgroundService
{
    public const string Boundary = "watcher";

    /// <summary>Unexpected failures tolerated per file before it goes to quarantine.</summary>
    public const int MaxAttempts = 5;

    private const int MaxExtensionInReason = 16;

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumWait = TimeSpan.FromDays(1);
    private static readonly DateTimeOffset Never = DateTimeOffset.MaxValue;

    private readonly DataPaths paths;
    private readonly NodeSettings settings;
    private readonly TimeProvider time;
    private readonly ILogger<DropFolderWatcher> logger;
    private readonly IReadOnlyList<WatchedFolder> folders;
    private readonly HashSet<string> unreadableFolders = new(StringComparer.Ordinal);
    private readonly FileTracker tracker;
    private readonly DropAdmission admission;
    private readonly FolderEvents events;

    // Not a primary constructor: the parts share one tracker, which field initializers cannot pass along.
    public DropFolderWatcher(
        DataPaths paths, NodeSettings settings, IOutbox outbox, QuarantineStore quarantine, TimeProvider time, ILogger<DropFolderWatcher> logger)
    {
        this.paths = paths;
        this.settings = settings;
        this.time = time;
        this.logger = logger;
        folders = WatchedFolder.All(paths);
        tracker = new FileTracker(settings.StableAfter, time);
        admission = new DropAdmission(settings, outbox, quarantine, tracker, time, logger);
        events = new FolderEvents(folders, settings, time, logger);
    }

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
                events.Arm();
                var wait = await ScanOnceAsync(stoppingToken);
                await events.WaitForNudgeAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            events.Dispose();
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

        tracker.KeepOnly(present);

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
        var names = ListFolder(folder);
        if (names is null)
        {
            return Never;
        }

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
            var entryDue = await ConsiderOrRecordAsync(folder, path, listing, tally, cancellationToken);
            if (entryDue < due)
            {
                due = entryDue;
            }
        }

        if (tally.AnythingHappened)
        {
            LogScanned(logger, folder.Path, tally.Admitted, tally.Duplicates, tally.Quarantined, tally.Failed, tally.Waiting);
        }

        return due;
    }

    /// <summary>The folder's top-level names in ordinal order, or null when it cannot be read (logged once per outage).</summary>
    private string[]? ListFolder(WatchedFolder folder)
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

            return null;
        }

        if (unreadableFolders.Remove(folder.Name))
        {
            LogFolderReadable(logger, folder.Path);
        }

        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary><see cref="ConsiderAsync"/>, with one file's unexpected failure recorded instead of ending the scan.</summary>
    private async Task<DateTimeOffset> ConsiderOrRecordAsync(
        WatchedFolder folder, string path, IReadOnlySet<string> listing, ScanTally tally, CancellationToken cancellationToken)
    {
        try
        {
            return await ConsiderAsync(folder, path, listing, tally, cancellationToken);
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
            await admission.RecordFailureAsync(folder, path, listing, ex, tally);
            return Never;
        }
    }

    /// <summary>Decides about one top-level entry; returns when it needs another look.</summary>
    private async Task<DateTimeOffset> ConsiderAsync(WatchedFolder folder, string path, IReadOnlySet<string> listing, ScanTally tally, CancellationToken cancellationToken)
    {
        if (!NativeStat.TryLstat(path, out var stat) || !await IsRegularFileAsync(path, stat.Kind, tally))
        {
            return Never;
        }

        var extension = Path.GetExtension(path);
        if (folder.RequiresSidecar && extension.Equals(WatchedFolder.SidecarExtension, StringComparison.OrdinalIgnoreCase))
        {
            // A sidecar goes with its file; its stability clock starts as soon as it appears. Alone it is left alone.
            tracker.IsStable(path, stat.Signature, out _);
            return Never;
        }

        if (!tracker.IsStable(path, stat.Signature, out var readyAt))
        {
            tally.Waiting++;
            return readyAt;
        }

        if (!folder.ContentTypes.TryGetValue(extension, out var byExtension))
        {
            await admission.QuarantineAsync([path], "refused_type", RefusedTypeReason(folder, extension), tally);
            return Never;
        }

        var decision = DecideContent(folder, path, stat.Signature, byExtension);
        if (decision is null)
        {
            // Replaced since it was looked at; the next scan sees the new one and restarts its clock.
            tally.Waiting++;
            return time.GetUtcNow();
        }

        if (decision.ContentType is not { } contentType)
        {
            await admission.QuarantineAsync([path], decision.What!, decision.Why!, tally);
            return Never;
        }

        if (!folder.RequiresSidecar)
        {
            await admission.AdmitAsync(folder, new OutboxArtifact(path, contentType, folder.Entrypoint, CenterKey: null, settings.SourceSystem), tally, cancellationToken);
            return Never;
        }

        return await admission.ConsiderPairAsync(folder, path, contentType, listing, tally, cancellationToken);
    }

    /// <summary>False for a directory (left alone) and for a link or special file (quarantined unopened).</summary>
    private async Task<bool> IsRegularFileAsync(string path, FileKind kind, ScanTally tally)
    {
        switch (kind)
        {
            case FileKind.Directory:
                return false;
            case FileKind.SymbolicLink:
                await admission.QuarantineAsync([path], "symlink", "symbolic links are never followed; the link itself was moved here, its target was not touched", tally);
                return false;
            case FileKind.Special:
                await admission.QuarantineAsync([path], "special_file", "not a regular file (FIFO, socket or device); it was never opened", tally);
                return false;
            default:
                return true;
        }
    }

    /// <summary>The file's type from its first bytes (<see cref="DropContentCheck"/>); null when the file is no longer the one that was stable.</summary>
    private static DropContentDecision? DecideContent(WatchedFolder folder, string path, FileSignature signature, string byExtension)
    {
        if (folder.Content == DropContent.ByExtension)
        {
            return new DropContentDecision(byExtension);
        }

        var head = NativeStat.ReadIfUnchanged(path, signature, ContentTypeResolver.HeadLength);
        return head is null ? null : DropContentCheck.Decide(folder, head, (long)signature.Size, Path.GetFileName(path));
    }

    private static string RefusedTypeReason(WatchedFolder folder, string extension) => extension.Length switch
    {
        0 => $"files without an extension are not accepted in {folder.Name} (accepted: {folder.AcceptedList})",
        > MaxExtensionInReason => $"the extension is not accepted in {folder.Name} (accepted: {folder.AcceptedList})",
        _ => $"extension '{extension}' is not accepted in {folder.Name} (accepted: {folder.AcceptedList})",
    };

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Watching drop folder {Folder} ({Entrypoint})")]
    private static partial void LogWatching(ILogger logger, string folder, string entrypoint);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information,
        Message = "Scanned {Folder}: {Admitted} admitted, {Duplicates} duplicates removed, {Quarantined} quarantined, {Failed} failed, {Waiting} waiting")]
    private static partial void LogScanned(ILogger logger, string folder, int admitted, int duplicates, int quarantined, int failed, int waiting);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "Drop folder {Folder} cannot be read ({ErrorType}); retrying on every scan")]
    private static partial void LogFolderUnreadable(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Information, Message = "Drop folder {Folder} can be read again")]
    private static partial void LogFolderReadable(ILogger logger, string folder);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Critical, Message = "The drop-folder watcher cannot start: {Problem}")]
    private static partial void LogStatxUnavailable(ILogger logger, string problem);
}
