using Grpc.Core;
using Grpc.Core.Interceptors;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// Counts what the Transfer service receives and answers, from its messages alone: the service code stays
/// untouched. Other services (enrollment, health) pass through.
/// </summary>
internal sealed class TransferMetricsInterceptor(HubMetrics metrics) : Interceptor
{
    private const string TransferPrefix = "/lxannotate.v1.Transfer/";
    private const string Component = "transfer";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Method.StartsWith(TransferPrefix, StringComparison.Ordinal))
        {
            return await continuation(request, context);
        }

        try
        {
            var response = await continuation(request, context);
            await CountAsync(request, response, context);
            return response;
        }
        catch (Exception ex)
        {
            await CountFailureAsync(request, ex, context);
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Method.StartsWith(TransferPrefix, StringComparison.Ordinal))
        {
            return await continuation(requestStream, context);
        }

        var counting = new CountingStreamReader<TRequest>(requestStream);
        try
        {
            var response = await continuation(counting, context);
            var center = await MetricsCaller.CenterLabelAsync(context);
            metrics.ReceivedBytes.WithLabels(center, "upload").Inc(counting.Bytes);
            var created = response is UploadReply { Created: true };
            metrics.TransfersCompleted.WithLabels(center, created ? OutcomeLabels.Stored : OutcomeLabels.AlreadyStored).Inc();
            return response;
        }
        catch (Exception ex)
        {
            var center = await MetricsCaller.CenterLabelAsync(context);
            metrics.ReceivedBytes.WithLabels(center, "upload").Inc(counting.Bytes);
            metrics.TransfersFailed.WithLabels(center, OutcomeLabels.Reason(OutcomeLabels.StatusOf(ex))).Inc();
            CountOutage(ex);
            throw;
        }
    }

    private async Task CountAsync<TRequest, TResponse>(TRequest request, TResponse response, ServerCallContext context)
    {
        switch (response)
        {
            case OfferReply offer:
                var outcome = offer.ResultCase == OfferReply.ResultOneofCase.AlreadyStored ? OutcomeLabels.AlreadyStored : OutcomeLabels.TransferOpened;
                metrics.Offers.WithLabels(await MetricsCaller.CenterLabelAsync(context), outcome).Inc();
                break;
            case UploadReply reply when request is DeliverRequest deliver:
                var center = await MetricsCaller.CenterLabelAsync(context);
                metrics.ReceivedBytes.WithLabels(center, "deliver").Inc(deliver.Content.Length);
                CountDelivery(center, reply.Created ? OutcomeLabels.Stored : OutcomeLabels.AlreadyStored);
                break;
            case DeliverManyReply many when request is DeliverManyRequest batch:
                var batchCenter = await MetricsCaller.CenterLabelAsync(context);
                metrics.ReceivedBytes.WithLabels(batchCenter, "deliver").Inc(batch.Items.Sum(i => (long)i.Content.Length));
                foreach (var item in many.Outcomes)
                {
                    CountDelivery(batchCenter, item.Reply is null ? OutcomeLabels.Refused : item.Reply.Created ? OutcomeLabels.Stored : OutcomeLabels.AlreadyStored);
                }

                break;
            case HeartbeatReply:
                metrics.Heartbeats.WithLabels(await MetricsCaller.CenterLabelAsync(context), "accepted").Inc();
                break;
        }
    }

    private async Task CountFailureAsync<TRequest>(TRequest request, Exception ex, ServerCallContext context)
    {
        CountOutage(ex);
        var outcome = OutcomeLabels.Failed(ex);
        switch (request)
        {
            case OfferRequest:
                metrics.Offers.WithLabels(await MetricsCaller.CenterLabelAsync(context), outcome).Inc();
                break;
            case DeliverRequest deliver:
                var center = await MetricsCaller.CenterLabelAsync(context);
                metrics.ReceivedBytes.WithLabels(center, "deliver").Inc(deliver.Content.Length);
                CountDelivery(center, outcome);
                break;
            case DeliverManyRequest batch:
                var batchCenter = await MetricsCaller.CenterLabelAsync(context);
                metrics.ReceivedBytes.WithLabels(batchCenter, "deliver").Inc(batch.Items.Sum(i => (long)i.Content.Length));
                foreach (var _ in batch.Items)
                {
                    CountDelivery(batchCenter, outcome);
                }

                break;
            case HeartbeatRequest:
                metrics.Heartbeats.WithLabels(await MetricsCaller.CenterLabelAsync(context), OutcomeLabels.Refused).Inc();
                break;
        }
    }

    /// <summary>A small delivery is also a declaration: it counts under both.</summary>
    private void CountDelivery(string center, string outcome)
    {
        metrics.SmallDeliveries.WithLabels(center, outcome).Inc();
        metrics.Offers.WithLabels(center, outcome).Inc();
    }

    private void CountOutage(Exception ex)
    {
        if (OutcomeLabels.IsStorageFull(ex))
        {
            metrics.StorageErrors.WithLabels(Component).Inc();
        }
        else if (OutcomeLabels.IsDatabaseDown(ex))
        {
            metrics.DatabaseErrors.WithLabels(Component).Inc();
        }
    }
}
