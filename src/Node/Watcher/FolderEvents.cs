using System.Collections.Concurrent;
using System.Threading.Channels;
using LxAnnotate.Node.Hosting;

namespace LxAnnotate.Node.Watcher;

/// <summary>
/// File-system events of the drop folders. They only nudge the next scan (the periodic scan finds every file
/// anyway), so a lost event or a folder without events costs time, never a file.
/// </summary>
internal sealed partial class FolderEvents(IReadOnlyList<WatchedFolder> folders, NodeSettings settings, TimeProvider time, ILogger logger) : IDisposable
{
    private static readonly TimeSpan EventCoalescing = TimeSpan.FromMilliseconds(250);

    private readonly HashSet<string> foldersWithoutEvents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileSystemWatcher> eventSources = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> brokenEventSources = new();
    private readonly Channel<bool> nudges = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Recreates broken watches and creates missing ones (a folder may appear later).</summary>
    public void Arm()
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

    public void Nudge() => nudges.Writer.TryWrite(true);

    /// <summary>Waits for a nudge (then a short pause that covers a burst) or until <paramref name="wait"/> passes.</summary>
    public async Task WaitForNudgeAsync(TimeSpan wait, CancellationToken stoppingToken)
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

    public void Dispose()
    {
        foreach (var source in eventSources.Values)
        {
            source.Dispose();
        }

        eventSources.Clear();
    }

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "File-system events of {Folder} were lost ({ErrorType}); rescanning the folder")]
    private static partial void LogEventsLost(ILogger logger, string folder, string errorType);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Warning, Message = "No file-system events for {Folder} ({ErrorType}); files are found by the periodic scan only")]
    private static partial void LogEventsUnavailable(ILogger logger, string folder, string errorType);
}
