using System.Threading.Channels;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// Sends due outbox items with bounded concurrency (<c>LXA_NODE_SYNC_CONCURRENCY</c> large items; up to
/// <see cref="SmallItemConcurrency"/> small ones). On shutdown the
/// in-flight uploads are cancelled; the hub records what it received, so the next start resumes there.
/// </summary>
internal sealed partial class SyncWorker(OutboxStore outbox, ItemSender sender, NodeSettings settings, ILogger<SyncWorker> logger) : BackgroundService
{
    /// <summary>
    /// Items of at most <see cref="ItemSender.DeliverMaxBytes"/> in flight at once (at least the configured concurrency).
    /// With 64 rather than 32 the <c>DeliverMany</c> calls (at most 4 in flight) are fuller, so the hub commits less
    /// often per artifact: about 12 % more small files per second on a warm hub (docs/performance.md); each holds at
    /// most 1 MiB of the node's memory while in flight.
    /// </summary>
    public const int SmallItemConcurrency = 64;

    /// <summary>
    /// The outbox is asked for more items once this share of the slots is free (or nothing is in flight), not after
    /// every single completion: with many small items that query would otherwise run once per item.
    /// </summary>
    private const int RefillDivisor = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(null, stoppingToken);

    /// <summary>
    /// Sends until cancelled, or, when <paramref name="only"/> is given, until each of those items (and of those
    /// that <paramref name="arriving"/> adds until it completes) is delivered or refused. Returns the items that are
    /// still undelivered. <paramref name="concurrency"/> overrides <c>LXA_NODE_SYNC_CONCURRENCY</c> (push of many files).
    /// </summary>
    public async Task<IReadOnlySet<Guid>> RunAsync(
        IReadOnlySet<Guid>? only,
        CancellationToken cancellationToken,
        IProgress<(Guid Item, long Bytes)>? progress = null,
        int? concurrency = null,
        ChannelReader<Guid>? arriving = null)
    {
        var limit = concurrency ?? settings.SyncConcurrency;

        // Small items (one Deliver call each) mostly wait on the hub's fsyncs and commits, which it groups
        // when many arrive at once: more of them are in flight than large uploads, which share bandwidth.
        var smallLimit = Math.Max(limit, SmallItemConcurrency);
        var pending = only is null ? null : new HashSet<Guid>(only);
        var more = pending is null ? null : arriving;
        Task<bool>? arrival = null;
        var inFlight = new Dictionary<Guid, Task<SendResult>>();
        var large = new HashSet<Guid>();
        try
        {
            while (!cancellationToken.IsCancellationRequested && (pending is null || pending.Count > 0 || more is not null))
            {
                more = TakeArrived(more, pending);
                if (pending is { Count: 0 } && more is null)
                {
                    break; // nothing is left to send and nothing more will arrive
                }

                if (inFlight.Count == 0 || smallLimit - inFlight.Count >= Math.Max(1, smallLimit / RefillDivisor))
                {
                    await StartDueAsync(inFlight, large, (limit, smallLimit), pending, progress, cancellationToken);
                }

                // New work is a wake-up of the outbox or, for a push still taking files, the next items it took (one
                // wait for those at a time, kept across turns until it ends).
                var waits = new List<Task>(inFlight.Values) { outbox.WaitForWorkAsync(TimeSpan.FromSeconds(1), cancellationToken) };
                if (more is not null)
                {
                    arrival = arrival is { IsCompleted: false } ? arrival : more.WaitToReadAsync(cancellationToken).AsTask();
                    waits.Add(arrival);
                }

                await Task.WhenAny(waits);
                if (inFlight.Count == 0)
                {
                    continue;
                }

                if (await CollectFinishedAsync(inFlight, large, pending) && pending is not null)
                {
                    // A one-shot run stops once the hub refuses the node itself: every other item would meet the
                    // same answer until an operator acts. The items stay queued for `run`.
                    LogNodeNotAccepted(logger, pending.Count);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopping(logger, inFlight.Count);
        }

        await UnwindAsync(inFlight.Values);
        return pending ?? new HashSet<Guid>();
    }

    /// <summary>Starts sending due items into the free slots: at most <c>Large</c> large ones, <c>Small</c> in all.</summary>
    private async Task StartDueAsync(
        Dictionary<Guid, Task<SendResult>> inFlight,
        HashSet<Guid> large,
        (int Large, int Small) limits,
        HashSet<Guid>? pending,
        IProgress<(Guid Item, long Bytes)>? progress,
        CancellationToken cancellationToken)
    {
        var due = await outbox.DueAsync(limits.Small - inFlight.Count, inFlight.Keys, pending, cancellationToken);
        foreach (var item in due)
        {
            var isLarge = item.SizeBytes > ItemSender.DeliverMaxBytes;
            if (isLarge && large.Count >= limits.Large)
            {
                continue;
            }

            if (isLarge)
            {
                large.Add(item.Id);
            }

            var itemProgress = progress is null ? null : new Progress<long>(bytes => progress.Report((item.Id, bytes)));
            inFlight[item.Id] = sender.SendAsync(item, itemProgress, cancellationToken);
        }
    }

    /// <summary>Adds the items that arrived meanwhile to <paramref name="pending"/>; null once no more will arrive.</summary>
    private static ChannelReader<Guid>? TakeArrived(ChannelReader<Guid>? arriving, HashSet<Guid>? pending)
    {
        if (arriving is null || pending is null)
        {
            return null;
        }

        while (arriving.TryRead(out var id))
        {
            pending.Add(id);
        }

        return arriving.Completion.IsCompleted ? null : arriving;
    }

    /// <summary>
    /// Takes the completed sends out of flight; an item that is delivered or refused is no longer pending. True when
    /// the hub answered that it does not accept this node (<see cref="SendResult.NodeNotAccepted"/>).
    /// </summary>
    private static async Task<bool> CollectFinishedAsync(Dictionary<Guid, Task<SendResult>> inFlight, HashSet<Guid> large, HashSet<Guid>? pending)
    {
        var nodeNotAccepted = false;
        foreach (var (id, task) in inFlight.Where(p => p.Value.IsCompleted).ToList())
        {
            inFlight.Remove(id);
            large.Remove(id);
            var result = await task;
            nodeNotAccepted |= result == SendResult.NodeNotAccepted;
            if (result is SendResult.Delivered or SendResult.Refused)
            {
                pending?.Remove(id);
            }
        }

        return nodeNotAccepted;
    }

    /// <summary>Lets cancelled uploads finish unwinding so their state is written before the process exits.</summary>
    private static async Task UnwindAsync(IEnumerable<Task<SendResult>> sends)
    {
        foreach (var task in sends)
        {
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or Grpc.Core.RpcException)
            {
            }
        }
    }

    [LoggerMessage(EventId = 4305, Level = LogLevel.Warning, Message = "The hub does not accept this node (its certificate is revoked, expired or unknown, or the node is deactivated); {Pending} item(s) stay queued")]
    private static partial void LogNodeNotAccepted(ILogger logger, int pending);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Sync stopping with {InFlight} upload(s) in flight; the hub keeps their durable offsets")]
    private static partial void LogStopping(ILogger logger, int inFlight);
}
