using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Coordination;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Transfer.Delivery;
using LxAnnotate.Hub.Transfer.Offers;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Transfer.Upload;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.Shared.Transfer;
using Microsoft.EntityFrameworkCore;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Hub.Transfer;

/// <summary>
/// The gRPC boundary of the transfer receiver: it only translates messages into calls of <see cref="TransferSessions"/>,
/// <see cref="UploadReceiver"/> and <see cref="Deliveries"/>; refusals become status codes in <see cref="TransferErrorInterceptor"/>.
/// </summary>
[BindServiceMethod(typeof(TransferGrpcService), nameof(BindService))]
internal sealed partial class TransferGrpcService(
    TransferSessions sessions,
    UploadReceiver uploads,
    Deliveries deliveries,
    ActiveNodeCertificates certificates,
    TransferOptions options,
    LxaDbContext db,
    ILogger<TransferGrpcService> logger)
    : ProtoTransfer.TransferBase
{
    /// <summary>Items of one <c>DeliverMany</c> call staged at the same time.</summary>
    public const int DeliverManyParallelism = 8;

    /// <summary>
    /// Found by gRPC's service discovery (the attribute above, before the generated base's): the generated binding,
    /// with <c>Upload</c>'s chunks read into pooled arrays (<see cref="PooledChunks"/>). The parameter is the generated
    /// base, as in its own binding: the methods bound are found as overrides of that type's.
    /// </summary>
    public static void BindService(ServiceBinderBase serviceBinder, ProtoTransfer.TransferBase? service) =>
        ProtoTransfer.BindService(new PooledChunks.Binder(serviceBinder), service);

    public override async Task<OfferReply> Offer(OfferRequest request, ServerCallContext context)
    {
        var caller = await TransferCallerResolver.ResolveAsync(context);
        var outcome = await sessions.OfferAsync(ToOffer(request), caller, context.CancellationToken);

        return outcome switch
        {
            { ExistingJob: { } job } => new OfferReply { AlreadyStored = new AlreadyStored { UploadJobId = job.Id.ToString(), Status = job.Status.ToWire(), Sha256 = job.ContentHash } },
            { HashRequired: { } reason } => new OfferReply { HashRequired = new HashRequired { Reason = reason } },
            _ => new OfferReply { Transfer = new TransferReady { TransferId = outcome.TransferId!.Value.ToString(), Offset = outcome.Offset, MaxChunkBytes = options.MaxChunkBytes } },
        };
    }

    public override async Task<UploadReply> Upload(IAsyncStreamReader<UploadRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);

        var caller = await TransferCallerResolver.ResolveAsync(context);
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.KindCase != UploadRequest.KindOneofCase.Header)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first Upload message must be a header naming transfer_id and offset."));
        }

        var header = requestStream.Current.Header;
        var transferId = ParseId(header.TransferId, "transfer_id");
        var trailer = new SenderTrailer();
        var outcome = await uploads.ReceiveAsync(
            transferId, header.Offset, caller, Chunks(requestStream, trailer, context.CancellationToken), context.CancellationToken, StillAuthorized(caller), trailer);
        return ToReply(outcome);
    }

    public override async Task<DeliverManyReply> DeliverMany(DeliverManyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);

        var caller = await TransferCallerResolver.ResolveAsync(context);
        if (request.Items.Count is 0 or > TransferLimits.MaxDeliverManyItems)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"DeliverMany takes 1 to {TransferLimits.MaxDeliverManyItems} items; this call has {request.Items.Count}."));
        }

        // The items without an offer are refused here; the others are checked, staged (several at a time, so
        // their fsyncs overlap) and recorded together, with one transaction for their new jobs.
        var outcomes = new DeliverOutcome[request.Items.Count];
        var items = new List<(TransferOffer Offer, ReadOnlyMemory<byte> Content)>(request.Items.Count);
        var positions = new List<int>(request.Items.Count);
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            if (item.Offer is null)
            {
                outcomes[i] = new DeliverOutcome { ErrorCode = (int)StatusCode.InvalidArgument, ErrorMessage = "Deliver needs an offer." };
                continue;
            }

            items.Add((ToOffer(item.Offer), item.Content.Memory));
            positions.Add(i);
        }

        var delivered = await deliveries.DeliverManyAsync(items, caller, DeliverManyParallelism, context.CancellationToken);
        for (var k = 0; k < delivered.Count; k++)
        {
            outcomes[positions[k]] = delivered[k] switch
            {
                { Outcome: { } outcome } => new DeliverOutcome { Reply = ToReply(outcome) },
                { Refusal: { } refusal } when TransferErrorInterceptor.Translate(refusal) is { } refused =>
                    new DeliverOutcome { ErrorCode = (int)refused.StatusCode, ErrorMessage = refused.Status.Detail },
                _ => throw new InvalidOperationException($"Delivery {positions[k]} has neither an outcome nor a refusal the transfer boundary knows."),
            };
        }

        var reply = new DeliverManyReply { Outcomes = { outcomes } };
        LogDeliveredMany(logger, outcomes.Length, outcomes.Count(o => o.Reply is null));
        return reply;
    }

    public override async Task<UploadReply> Deliver(DeliverRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);

        var caller = await TransferCallerResolver.ResolveAsync(context);
        if (request.Offer is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Deliver needs an offer."));
        }

        return ToReply(await deliveries.DeliverAsync(ToOffer(request.Offer), request.Content.Memory, caller, context.CancellationToken));
    }

    public override async Task<TransferInfo> GetTransfer(GetTransferRequest request, ServerCallContext context)
    {
        var caller = await TransferCallerResolver.ResolveAsync(context);
        var session = await sessions.GetAsync(ParseId(request.TransferId, "transfer_id"), caller, context.CancellationToken);
        return new TransferInfo
        {
            TransferId = session.Id.ToString(),
            State = session.State.ToWire(),
            Offset = session.ReceivedBytes,
            Size = session.SizeBytes,
            Sha256 = session.Sha256 ?? "",
            UploadJobId = session.UploadJobId?.ToString() ?? "",
            Error = session.Error ?? "",
        };
    }

    public override async Task<UploadJobInfo> GetUploadJob(GetUploadJobRequest request, ServerCallContext context)
    {
        var caller = await TransferCallerResolver.ResolveAsync(context);
        var id = ParseId(request.UploadJobId, "upload_job_id");
        var job = await db.UploadJobs.AsNoTracking().Include(j => j.SourceCenter).FirstOrDefaultAsync(j => j.Id == id, context.CancellationToken);

        // A job of another center is reported exactly like a missing one.
        if (job is null || (caller.Kind == CallerKind.Node && !string.Equals(job.SourceCenter!.CenterKey, caller.NodeCenterKey, StringComparison.Ordinal)))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Upload job {id} not found."));
        }

        return new UploadJobInfo
        {
            UploadJobId = job.Id.ToString(),
            Status = job.Status.ToWire(),
            ErrorCode = job.ErrorCode?.ToWire() ?? "",
            ErrorDetail = job.ErrorDetail ?? "",
            SourceCenterKey = job.SourceCenter!.CenterKey,
            ContentType = job.ContentType,
            Sha256 = job.ContentHash,
            Size = job.SizeBytes,
            IngestMode = job.IngestMode.ToWire(),
            SourceSystem = job.SourceSystem,
        };
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context) => NodeHealth.HeartbeatEndpoint.HandleAsync(request, context);

    /// <summary>
    /// For a node: is its certificate still active and the node still active? Asked per chunk, so a
    /// revocation cuts an upload off at its next chunk, whatever any authentication cache holds. On PostgreSQL it is
    /// asked on the session that holds the transfer's lock, which the stream keeps anyway.
    /// </summary>
    private Func<IHeldLock, CancellationToken, Task<bool>>? StillAuthorized(CallerIdentity caller)
    {
        if (caller.Kind != CallerKind.Node)
        {
            return null;
        }

        var thumbprint = caller.CertificateThumbprint;
        // A node caller without a thumbprint matches no certificate, so it is cut off at its first chunk.
        return thumbprint is null
            ? (_, _) => Task.FromResult(false)
            : (held, cancellationToken) => certificates.IsActiveAsync(thumbprint, held.Session, cancellationToken);
    }

    /// <summary>
    /// The data chunks after the header; a trailer, which must be the last message, is kept in <paramref name="trailer"/>.
    /// A chunk's pooled array is given back when the receiver asks for the next one (it has written this one by then)
    /// or the reading ends.
    /// </summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(
        IAsyncStreamReader<UploadRequest> requestStream,
        SenderTrailer trailer,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>? lent = null;
        try
        {
            while (await requestStream.MoveNext(cancellationToken))
            {
                var message = requestStream.Current;
                if (message.KindCase == UploadRequest.KindOneofCase.Trailer)
                {
                    if (!OfferRules.IsSha256(message.Trailer.Sha256))
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, "The Upload trailer's sha256 must be 64 hexadecimal characters."));
                    }

                    var sha256 = message.Trailer.Sha256.ToLowerInvariant();
                    if (await requestStream.MoveNext(cancellationToken))
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, "The Upload trailer must be the last message of the call."));
                    }

                    trailer.Sha256 = sha256;
                    yield break;
                }

                if (message.KindCase != UploadRequest.KindOneofCase.Chunk)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "Only data chunks and a final trailer may follow the Upload header."));
                }

                lent = message.Chunk.Memory;
                yield return lent.Value;
                PooledChunks.Return(lent.Value);
                lent = null;
            }
        }
        finally
        {
            if (lent is { } unreturned)
            {
                PooledChunks.Return(unreturned);
            }
        }
    }

    private static TransferOffer ToOffer(OfferRequest request) => new()
    {
        Sha256 = request.Sha256,
        SizeBytes = request.Size,
        ContentType = request.ContentType,
        OriginalFilename = request.OriginalFilename,
        CenterKey = request.CenterKey,
        SourceSystem = request.SourceSystem,
        IdempotencyKey = request.IdempotencyKey,
        ProvenanceHints = request.ProvenanceHints,
        EnvelopeJson = request.Envelope is { } envelope ? envelope.MetadataJson : null,
    };

    private static UploadReply ToReply(UploadOutcome outcome) => new()
    {
        UploadJobId = outcome.Job.Id.ToString(),
        Created = outcome.Created,
        Size = outcome.Job.SizeBytes,
        Sha256 = outcome.Job.ContentHash,
        Status = outcome.Job.Status.ToWire(),
    };

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} is not a valid id."));

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "DeliverMany call with {Count} artifacts ({Refused} refused)")]
    private static partial void LogDeliveredMany(ILogger logger, int count, int refused);
}
