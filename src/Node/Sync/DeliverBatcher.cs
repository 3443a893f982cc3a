using Grpc.Core;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.Shared.Transfer;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// Sends the <c>Deliver</c> requests of small items that are ready at the same time as one <c>DeliverMany</c>
/// call: the hub then authenticates and sets up a call once for all of them. Each item still gets its own
/// receipt or its own error, exactly as from <c>Deliver</c>, so <see cref="ItemSender"/> handles every
/// outcome per item as before. At most <see cref="MaxCallsInFlight"/> calls run at once; requests that
/// arrive meanwhile wait and form the next call, so a lone item is sent at once and a burst is grouped.
/// A hub that predates <c>DeliverMany</c> answers UNIMPLEMENTED: from then on every request is a <c>Deliver</c>.
/// </summary>
internal sealed partial class DeliverBatcher(HubConnection hub, ILogger<DeliverBatcher> logger)
{
    /// <summary>Most bytes of serialized requests in one call: the hub's message limit, less room for the call's own framing.</summary>
    public const int MaxBatchBytes = TransferLimits.MaxMessageBytes - (32 * 1024);

    public const int MaxCallsInFlight = 4;

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private readonly Queue<Pending> queue = new();
    private int callsInFlight;
    private volatile bool hubBatches = true;

    /// <summary>The hub's receipt for <paramref name="request"/>; an <see cref="RpcException"/> with Deliver's status when refused.</summary>
    public Task<UploadReply> DeliverAsync(DeliverRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!hubBatches)
        {
            return DeliverOneAsync(request, cancellationToken);
        }

        var pending = new Pending(request, request.CalculateSize(), cancellationToken);
        lock (gate)
        {
            queue.Enqueue(pending);
        }

        StartCalls();
        return pending.Reply.Task.WaitAsync(cancellationToken);
    }

    private void StartCalls()
    {
        while (true)
        {
            List<Pending> batch;
            lock (gate)
            {
                if (callsInFlight >= MaxCallsInFlight || queue.Count == 0)
                {
                    return;
                }

                batch = [queue.Dequeue()];
                var bytes = batch[0].Size;
                while (queue.Count > 0 && batch.Count < TransferLimits.MaxDeliverManyItems && bytes + queue.Peek().Size <= MaxBatchBytes)
                {
                    var next = queue.Dequeue();
                    bytes += next.Size;
                    batch.Add(next);
                }

                callsInFlight++;
            }

            _ = SendAsync(batch);
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        try
        {
            if (!hubBatches)
            {
                // Queued before the hub turned out not to know DeliverMany.
                batch.ForEach(p => _ = ForwardAsync(p));
                return;
            }

            // Every item of a sync run carries the run's token; the first one's cancels the call at shutdown.
            var request = new DeliverManyRequest();
            request.Items.AddRange(batch.Select(p => p.Request));
            var reply = await hub.Client.DeliverManyAsync(request, deadline: DateTime.UtcNow.Add(CallTimeout), cancellationToken: batch[0].CancellationToken);
            Settle(batch, reply);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            if (hubBatches)
            {
                hubBatches = false;
                LogNoDeliverMany(logger, ex.Status.Detail);
            }

            foreach (var pending in batch)
            {
                _ = ForwardAsync(pending);
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Reply.TrySetException(ex));
        }
        finally
        {
            lock (gate)
            {
                callsInFlight--;
            }

            StartCalls();
        }
    }

    /// <summary>Gives each request of the batch its own receipt or its own error, in the order sent.</summary>
    private static void Settle(List<Pending> batch, DeliverManyReply reply)
    {
        if (reply.Outcomes.Count != batch.Count)
        {
            var mismatch = new RpcException(new Status(StatusCode.Internal,
                $"The hub answered {reply.Outcomes.Count} outcomes for {batch.Count} artifacts."));
            batch.ForEach(p => p.Reply.TrySetException(mismatch));
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var outcome = reply.Outcomes[i];
            if (outcome.Reply is { } receipt)
            {
                batch[i].Reply.TrySetResult(receipt);
            }
            else
            {
                batch[i].Reply.TrySetException(new RpcException(new Status((StatusCode)outcome.ErrorCode, outcome.ErrorMessage)));
            }
        }
    }

    /// <summary>A request of a batch the hub could not take as one call, sent on its own.</summary>
    private async Task ForwardAsync(Pending pending)
    {
        try
        {
            pending.Reply.TrySetResult(await DeliverOneAsync(pending.Request, pending.CancellationToken));
        }
        catch (Exception ex)
        {
            pending.Reply.TrySetException(ex);
        }
    }

    private async Task<UploadReply> DeliverOneAsync(DeliverRequest request, CancellationToken cancellationToken) =>
        await hub.Client.DeliverAsync(request, deadline: DateTime.UtcNow.Add(CallTimeout), cancellationToken: cancellationToken);

    [LoggerMessage(EventId = 4214, Level = LogLevel.Information, Message = "The hub does not offer DeliverMany ({Detail}); small artifacts go in one Deliver call each")]
    private static partial void LogNoDeliverMany(ILogger logger, string detail);

    private sealed record Pending(DeliverRequest Request, int Size, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<UploadReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
