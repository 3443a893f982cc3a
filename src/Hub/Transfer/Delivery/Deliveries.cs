using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Transfer.Offers;

namespace LxAnnotate.Hub.Transfer.Delivery;

/// <summary>
/// Offer and bytes of a small artifact in one call (at most <see cref="TransferOptions.MaxChunkBytes"/>, no
/// envelope): no transfer is opened; the ingest core stages the bytes (hashed, encrypted when the storage
/// class says so, fsynced), checks them against the declared SHA-256 and size, and records the job in one
/// commit, or reuses the job that already holds the content or the idempotency key.
/// </summary>
internal sealed partial class Deliveries(IngestService ingest, TransferOptions options, ILogger<Deliveries> logger)
{
    public async Task<UploadOutcome> DeliverAsync(TransferOffer offer, ReadOnlyMemory<byte> content, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(caller);

        Validate(offer, content);
        var request = TransferIngestRequests.For(offer, caller, transferId: null);
        using var stream = new ReadOnlyMemoryStream(content);
        var result = await ingest.IngestAsync(request, stream, offer.SizeBytes, cancellationToken, contentInMemory: true);
        LogDelivered(logger, result.Job.Id, result.Created, offer.SizeBytes);
        return new UploadOutcome(result.Job, result.Created);
    }

    /// <summary>
    /// Several <see cref="DeliverAsync"/> deliveries of one caller at once (a <c>DeliverMany</c> call): each is
    /// checked and refused on its own, and the accepted ones are recorded together by
    /// <see cref="IngestService.IngestManyAsync"/>, staged up to <paramref name="parallelism"/> at a time.
    /// </summary>
    /// <returns>Per delivery, in order: its outcome, or the refusal (<see cref="TransferException"/> or <see cref="IngestRejectedException"/>) <see cref="DeliverAsync"/> would have thrown.</returns>
    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverManyAsync(
        IReadOnlyList<(TransferOffer Offer, ReadOnlyMemory<byte> Content)> deliveries, CallerIdentity caller, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(caller);

        var outcomes = new DeliveryOutcome[deliveries.Count];
        var accepted = new List<int>(deliveries.Count);
        for (var i = 0; i < deliveries.Count; i++)
        {
            try
            {
                Validate(deliveries[i].Offer, deliveries[i].Content);
                accepted.Add(i);
            }
            catch (TransferException refused)
            {
                outcomes[i] = new DeliveryOutcome(null, refused);
            }
        }

        if (accepted.Count == 0)
        {
            return outcomes;
        }

        // Each item's size was checked against its declared size above, and that against the chunk limit.
        var items = accepted.ConvertAll(i => new IngestItem(TransferIngestRequests.For(deliveries[i].Offer, caller, transferId: null), deliveries[i].Content));
        var results = await ingest.IngestManyAsync(items, options.MaxChunkBytes, parallelism, cancellationToken);
        for (var k = 0; k < accepted.Count; k++)
        {
            var index = accepted[k];
            if (results[k].Result is { } result)
            {
                LogDelivered(logger, result.Job.Id, result.Created, deliveries[index].Offer.SizeBytes);
                outcomes[index] = new DeliveryOutcome(new UploadOutcome(result.Job, result.Created), null);
            }
            else
            {
                outcomes[index] = new DeliveryOutcome(null, results[k].Rejection);
            }
        }

        return outcomes;
    }

    /// <summary>What <see cref="DeliverAsync"/> checks before any byte is stored.</summary>
    private void Validate(TransferOffer offer, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(offer);

        OfferRules.Validate(offer, options);
        if (!string.IsNullOrEmpty(offer.EnvelopeJson))
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "Deliver carries no envelope; offer an enveloped artifact with Offer and Upload.");
        }

        if (options.RequireEnvelope)
        {
            throw new TransferException(TransferErrorKind.PreconditionFailed, "envelope_required: this hub accepts only enveloped artifacts (Deliver carries none).");
        }

        if (offer.SizeBytes > options.MaxChunkBytes)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, $"Deliver takes at most {options.MaxChunkBytes} bytes; send {offer.SizeBytes} bytes with Offer and Upload.");
        }

        if (content.Length != offer.SizeBytes)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, $"The content is {content.Length} bytes; the offer declares {offer.SizeBytes}.");
        }
    }

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Delivered in one call as job {JobId} (created: {Created}), {SizeBytes} bytes")]
    private static partial void LogDelivered(ILogger logger, Guid jobId, bool created, long sizeBytes);
}
