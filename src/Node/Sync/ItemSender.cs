using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.PythonEraHub;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// Delivers one outbox item: <c>Offer</c>, then <c>Upload</c> from the offset the hub holds durably.
/// Decides per failure whether to retry (with backoff) or to quarantine with the hub's message.
/// </summary>
internal sealed partial class ItemSender(
    HubConnection hub,
    OutboxStore outbox,
    QuarantineStore quarantine,
    EnvelopeStager envelopes,
    DeliverBatcher batcher,
    PythonEraSender pythonEra,
    NodeSettings settings,
    ILogger<ItemSender> logger)
{
    private const int DefaultChunk = 1024 * 1024;
    private const string ReceiptMismatch = "The hub's receipt does not match the file's SHA-256 and size.";
    private static readonly TimeSpan BackoffCap = TimeSpan.FromMinutes(5);

    /// <summary>Artifacts up to this size (and without an envelope) go in one <c>Deliver</c> call instead of <c>Offer</c> and <c>Upload</c>.</summary>
    public const int DeliverMaxBytes = DefaultChunk;

    /// <summary>False once the hub answered <c>Deliver</c> with UNIMPLEMENTED (a hub that predates it): Offer and Upload from then on.</summary>
    private volatile bool hubDelivers = true;

    /// <summary>Transfers the hub opened for an offer ahead of taking (push): the item's first send uploads without offering again.</summary>
    private readonly ConcurrentDictionary<Guid, TransferReady> openedAhead = new();

    /// <summary>Upload jobs of items sent ahead of taking (push), by item id, until the push records them as delivered.</summary>
    private readonly ConcurrentDictionary<Guid, string> sentAhead = new();

    /// <summary>False once the hub refused an offer without SHA-256 (a hub that predates it): files are hashed before they are offered.</summary>
    private volatile bool hubHashesLater = true;

    public async Task<SendResult> SendAsync(OutboxItem item, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            return await SendOnceAsync(item, progress, cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return await HandleRpcErrorAsync(item, ex, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            await outbox.MarkFailedAsync(item.Id, "The outbox copy of the file is missing.", cancellationToken);
            LogMissing(logger, item.Id);
            return SendResult.Refused;
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await ScheduleAsync(item, $"hub unreachable: {ex.HttpRequestError}", cancellationToken);
            return SendResult.Retry;
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A connection that breaks under a streaming Upload (the hub killed, the link gone) surfaces from the
            // request stream as an IOException, not an RpcException; like any unreachable hub it is retried.
            await ScheduleAsync(item, $"connection to the hub lost: {(ex is HttpIOException http ? http.HttpRequestError.ToString() : ex.GetType().Name)}", cancellationToken);
            return SendResult.Retry;
        }
    }

    /// <summary>One attempt: a small plain item in one <c>Deliver</c> call, anything else offered and uploaded.</summary>
    private async Task<SendResult> SendOnceAsync(OutboxItem item, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (!SidecarHints.TryResolve(item, out var sidecarHints, out var problem))
        {
            return await RefuseAsync(item, $"the sidecar no longer validates: {problem}", cancellationToken);
        }

        // LXA_NODE_HUB_PROTOCOL=python-era: the hub still runs the Python-era REST transfers.
        if (pythonEra.Enabled)
        {
            return await FinishAsync(item, await pythonEra.SendAsync(item, sidecarHints, progress, cancellationToken), cancellationToken);
        }

        // With a recipient key configured, the bytes sent are the staged envelope ciphertext (same length as
        // the plaintext); sha256 and size in the offer stay the plaintext's, so dedup still happens first.
        var staged = await envelopes.StageAsync(item, cancellationToken);
        var request = OfferFor(item, sidecarHints, settings.DeleteAfterSuccess);
        if (staged is not null)
        {
            request.Envelope = new MediaEnvelope { MetadataJson = staged.MetadataJson };
        }
        else if (item.SizeBytes <= DeliverMaxBytes && hubDelivers && await DeliverAsync(item, request, cancellationToken) is { } delivered)
        {
            if (!MatchesReceipt(item, delivered))
            {
                return await RefuseAsync(item, ReceiptMismatch, cancellationToken);
            }

            progress?.Report(item.SizeBytes);
            await CompleteAsync(item, delivered.UploadJobId, cancellationToken);
            return SendResult.Delivered;
        }

        return await OfferAndUploadAsync(item, request, staged, progress, cancellationToken);
    }

    private async Task<SendResult> OfferAndUploadAsync(
        OutboxItem item, OfferRequest request, StagedEnvelope? staged, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // The offer ahead of taking already opened this transfer (same item id, same content, same hints):
        // its first upload goes straight to it. Any failure takes the normal path (offer again on retry).
        var offer = staged is null && openedAhead.TryRemove(item.Id, out var openedReady)
            ? new OfferReply { Transfer = openedReady }
            : await hub.Client.OfferAsync(request, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
        if (offer.ResultCase == OfferReply.ResultOneofCase.AlreadyStored)
        {
            progress?.Report(item.SizeBytes);
            await CompleteAsync(item, offer.AlreadyStored.UploadJobId, cancellationToken);
            return SendResult.Delivered;
        }

        var ready = offer.Transfer;
        await outbox.MarkAsync(item.Id, OutboxState.Uploading, ready.TransferId, cancellationToken);
        var reply = await ChunkedUpload.SendAsync(hub.Client, staged?.CiphertextPath ?? item.StoredPath, ready, DefaultChunk, progress, cancellationToken);
        if (!MatchesReceipt(item, reply))
        {
            return await RefuseAsync(item, ReceiptMismatch, cancellationToken);
        }

        await CompleteAsync(item, reply.UploadJobId, cancellationToken);
        return SendResult.Delivered;
    }

    private static bool MatchesReceipt(OutboxItem item, UploadReply reply) =>
        string.Equals(reply.Sha256, item.Sha256, StringComparison.Ordinal) && reply.Size == item.SizeBytes;

    /// <summary>
    /// Offers content before it is taken into the outbox (push): the upload job id when the hub already stores
    /// it, else null (a transfer the hub opens now is found again by the item's own offer, by content);
    /// <c>Answered</c> is false when the hub could not be reached or refused, or when artifacts travel as envelopes
    /// (the enveloped offer dedups itself): the normal send path decides then.
    /// </summary>
    public async Task<(bool Answered, string? UploadJobId)> OfferAheadAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (envelopes.Enabled || pythonEra.Enabled)
        {
            // A plain offer would open a plaintext transfer beside the enveloped one (or be refused by a hub that
            // requires envelopes); the enveloped offer itself answers "already stored" before any byte.
            return (false, null);
        }

        try
        {
            var offer = await hub.Client.OfferAsync(OfferFor(item, new Dictionary<string, string>(), settings.DeleteAfterSuccess), deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
            if (offer.ResultCase == OfferReply.ResultOneofCase.Transfer && item.SidecarPath is null)
            {
                openedAhead[item.Id] = offer.Transfer;
            }

            return (true, offer.ResultCase == OfferReply.ResultOneofCase.AlreadyStored ? offer.AlreadyStored.UploadJobId : null);
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            LogOfferAheadFailed(logger, item.Id, ex.Message);
            return (false, null);
        }
    }

    /// <summary>
    /// Sends a file not yet hashed (push, before it is taken) in one pass: offered without SHA-256, its bytes sent while
    /// they are hashed, the hash sent last for the hub to verify. Returns the SHA-256 once the hub stored the file (its
    /// job is then <see cref="TakeSentAhead"/>'s), or null when the file was not sent this way: too small, envelopes or
    /// the Python-era protocol in use, a hub that needs the hash first (content of the same size stored) or predates
    /// this, or any failure. The caller then hashes the file and sends it the usual way under the same item id, so a
    /// transfer broken here is resumed from the hub's offset by the item's own offer.
    /// </summary>
    public async Task<string?> SendAheadAsync(OutboxItem unhashed, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unhashed);
        if (!hubHashesLater || unhashed.SizeBytes <= DeliverMaxBytes || envelopes.Enabled || pythonEra.Enabled || unhashed.SidecarPath is not null)
        {
            return null;
        }

        try
        {
            var offer = await hub.Client.OfferAsync(OfferFor(unhashed, new Dictionary<string, string>(), settings.DeleteAfterSuccess), deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
            if (offer.ResultCase != OfferReply.ResultOneofCase.Transfer)
            {
                return null;
            }

            var (reply, sha256) = await ChunkedUpload.SendAsync(hub.Client, unhashed.SourcePath, offer.Transfer, DefaultChunk, progress, hashForTrailer: true, cancellationToken);
            if (sha256 is null || !string.Equals(reply.Sha256, sha256, StringComparison.Ordinal) || reply.Size != unhashed.SizeBytes)
            {
                LogSendAheadFailed(logger, unhashed.Id, ReceiptMismatch);
                return null;
            }

            sentAhead[unhashed.Id] = reply.UploadJobId;
            return sha256;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument && ex.Status.Detail.Contains("sha256", StringComparison.Ordinal) && !cancellationToken.IsCancellationRequested)
        {
            hubHashesLater = false;
            LogNoHashLater(logger, ex.Status.Detail);
            return null;
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            LogSendAheadFailed(logger, unhashed.Id, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.GetType().Name);
            return null;
        }
    }

    /// <summary>The upload job of an item sent ahead of taking, once; null when it was not.</summary>
    public string? TakeSentAhead(Guid itemId) => sentAhead.TryRemove(itemId, out var job) ? job : null;

    /// <summary>
    /// Offer and bytes of a small item in one call; null when the hub does not know <c>Deliver</c> (the caller
    /// then offers and uploads). Other failures are the caller's to classify, as for Offer and Upload.
    /// </summary>
    private async Task<UploadReply?> DeliverAsync(OutboxItem item, OfferRequest offer, CancellationToken cancellationToken)
    {
        var content = await File.ReadAllBytesAsync(item.StoredPath, cancellationToken);
        if (content.LongLength != item.SizeBytes)
        {
            // Rewritten in place since it was taken: let the hub's SHA-256 check on the normal path decide.
            return null;
        }

        try
        {
            return await batcher.DeliverAsync(new DeliverRequest { Offer = offer, Content = UnsafeByteOperations.UnsafeWrap(content) }, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            hubDelivers = false;
            LogNoDeliver(logger, ex.Status.Detail);
            return null;
        }
    }

    /// <summary>1 s doubling to a 5 min cap, with ±20 % jitter so many nodes do not retry in step.</summary>
    internal static TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(BackoffCap.TotalSeconds, Math.Pow(2, Math.Min(attempts, 20)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>
    /// Answers that no retry can change: the item is failed with the hub's reason. <c>ALREADY_EXISTS</c> (its
    /// idempotency key is held by other content) cannot happen with the node's unique keys, but if it did, sending the
    /// same bytes again would only meet it again.
    /// </summary>
    internal static bool IsRefusal(StatusCode code) =>
        code is StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.Unimplemented or StatusCode.OutOfRange or StatusCode.AlreadyExists;

    /// <summary>
    /// A FAILED_PRECONDITION or DATA_LOSS answer refuses the item only when it repeats the previous attempt's
    /// answer after three attempts: transient failures before it (the hub or its database restarting, which is
    /// when a hub loses partial bytes) do not use up the item's offers.
    /// </summary>
    internal static bool PersistsAsRefusal(StatusCode code, int attempts, string? lastError) =>
        attempts >= 3 && lastError is not null && lastError.StartsWith($"{code}:", StringComparison.Ordinal);

    private async Task<SendResult> HandleRpcErrorAsync(OutboxItem item, RpcException ex, CancellationToken cancellationToken)
    {
        var message = $"{ex.StatusCode}: {ex.Status.Detail}";
        switch (ex.StatusCode)
        {
            case var code when IsRefusal(code):
                return await RefuseAsync(item, message, cancellationToken);

            case StatusCode.FailedPrecondition when ex.Trailers.GetValue("lxa-expected-offset") is not null:
            case StatusCode.NotFound:
                // The hub knows better where to resume (or the transfer expired): offer again at once.
                await outbox.ScheduleRetryAsync(item.Id, message, TimeSpan.Zero, cancellationToken);
                return SendResult.Retry;

            case StatusCode.FailedPrecondition:
            case StatusCode.DataLoss:
                // Worth one more offer (the hub discarded the partial bytes); persisting means refusal.
                if (PersistsAsRefusal(ex.StatusCode, item.Attempts, item.LastError))
                {
                    return await RefuseAsync(item, message, cancellationToken);
                }

                await ScheduleAsync(item, message, cancellationToken);
                return SendResult.Retry;

            case StatusCode.Unauthenticated:
                await ScheduleAsync(item, message, cancellationToken);
                return SendResult.NodeNotAccepted;

            default:
                await ScheduleAsync(item, message, cancellationToken);
                return SendResult.Retry;
        }
    }

    private async Task ScheduleAsync(OutboxItem item, string error, CancellationToken cancellationToken)
    {
        var delay = Backoff(item.Attempts);
        await outbox.ScheduleRetryAsync(item.Id, error, delay, cancellationToken);
        LogRetry(logger, item.Id, error, delay.TotalSeconds);
    }

    private async Task<SendResult> RefuseAsync(OutboxItem item, string reason, CancellationToken cancellationToken)
    {
        var files = item.SidecarPath is null ? new[] { item.StoredPath } : [item.StoredPath, item.SidecarPath];
        await quarantine.QuarantineAsync(files, "refused_by_hub", reason, "sync", cancellationToken);
        EnvelopeStager.Remove(item);
        await outbox.MarkFailedAsync(item.Id, reason, cancellationToken);
        LogRefused(logger, item.Id, reason);
        return SendResult.Refused;
    }

    private async Task<SendResult> FinishAsync(OutboxItem item, PythonEraOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.UploadJobId is { } uploadJobId)
        {
            await CompleteAsync(item, uploadJobId, cancellationToken);
            return SendResult.Delivered;
        }

        if (outcome.Retry)
        {
            await ScheduleAsync(item, outcome.Message, cancellationToken);
            return SendResult.Retry;
        }

        return await RefuseAsync(item, outcome.Message, cancellationToken);
    }

    private async Task CompleteAsync(OutboxItem item, string uploadJobId, CancellationToken cancellationToken)
    {
        await outbox.MarkDoneAsync(item.Id, uploadJobId, cancellationToken);
        EnvelopeStager.Remove(item);
        if (settings.DeleteAfterSuccess)
        {
            File.Delete(item.StoredPath);
            if (item.SidecarPath is not null)
            {
                File.Delete(item.SidecarPath);
            }
        }

        LogDelivered(logger, item.Id, uploadJobId);
    }

    private static OfferRequest OfferFor(OutboxItem item, IReadOnlyDictionary<string, string> sidecarHints, bool deleteAfterSuccess)
    {
        var offer = new OfferRequest
        {
            Sha256 = item.Sha256, // empty for an item sent ahead of hashing (SendAheadAsync)
            Size = item.SizeBytes,
            ContentType = item.ContentType,
            OriginalFilename = item.OriginalFilename ?? "",
            CenterKey = item.CenterKey ?? "",
            SourceSystem = item.SourceSystem,

            // The item id makes a retried offer idempotent at the hub even if its content check races.
            IdempotencyKey = item.Id.ToString(),
        };
        offer.ProvenanceHints["watched_path"] = item.SourcePath;

        // What this node does with its copy once the hub stored it (LXA_NODE_RETENTION): the job's retention_policy.
        offer.ProvenanceHints["retention_policy"] = deleteAfterSuccess ? "delete_after_success" : "preserve_source";
        if (item.SidecarPath is not null)
        {
            offer.ProvenanceHints["sidecar_path"] = Path.ChangeExtension(item.SourcePath, ".json");
        }

        foreach (var (key, value) in sidecarHints)
        {
            offer.ProvenanceHints[key] = value;
        }

        return offer;
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Outbox item {ItemId} delivered as upload job {UploadJobId}")]
    private static partial void LogDelivered(ILogger logger, Guid itemId, string uploadJobId);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Outbox item {ItemId} not delivered ({Error}); next attempt in {DelaySeconds:F0} s")]
    private static partial void LogRetry(ILogger logger, Guid itemId, string error, double delaySeconds);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Outbox item {ItemId} refused by the hub ({Reason}); quarantined")]
    private static partial void LogRefused(ILogger logger, Guid itemId, string reason);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Offer ahead of taking item {ItemId} failed ({Error}); it is queued and offered again")]
    private static partial void LogOfferAheadFailed(ILogger logger, Guid itemId, string error);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Information, Message = "The hub does not offer Deliver ({Detail}); small items are offered and uploaded")]
    private static partial void LogNoDeliver(ILogger logger, string detail);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Information, Message = "Sending item {ItemId} while hashing it did not complete ({Error}); it is hashed and sent as usual")]
    private static partial void LogSendAheadFailed(ILogger logger, Guid itemId, string error);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Information, Message = "The hub takes no offer without SHA-256 ({Detail}); files are hashed before they are offered")]
    private static partial void LogNoHashLater(ILogger logger, string detail);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Outbox item {ItemId} has lost its local file; marked failed")]
    private static partial void LogMissing(ILogger logger, Guid itemId);
}
