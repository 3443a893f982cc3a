using Grpc.Core;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Shared.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace LxAnnotate.Hub.NodeHealth;

/// <summary>
/// <c>Transfer.Heartbeat</c>: the node is the one its client certificate names (never the message); a heartbeat
/// naming another node is refused and stores nothing. The local socket has no node behind it, so it is refused too.
/// </summary>
internal static partial class HeartbeatEndpoint
{
    public static async Task<HeartbeatReply> HandleAsync(HeartbeatRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = await TransferCallerResolver.ResolveAsync(context);
        if (caller.Kind != CallerKind.Node || caller.Subject is null || caller.CertificateThumbprint is null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "Heartbeats come from site nodes on the transfer listener."));
        }

        var services = context.GetHttpContext().RequestServices;
        var logger = services.GetRequiredService<ILogger<NodeHealthStore>>();
        if (request.NodeKey.Length > 0 && !string.Equals(request.NodeKey, caller.Subject, StringComparison.Ordinal))
        {
            LogForeignNode(logger, caller.Subject);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "A heartbeat may only report the calling node's own state."));
        }

        var heartbeat = NodeHeartbeatRules.Check(request);
        var receivedAt = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await services.GetRequiredService<NodeHealthStore>().RecordAsync(caller.Subject, caller.CertificateThumbprint, heartbeat, receivedAt, context.CancellationToken);
        return new HeartbeatReply
        {
            ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
            ClockOffsetMs = (long)(heartbeat.SentAt - receivedAt).TotalMilliseconds,
        };
    }

    // The claimed key is not logged: it is whatever the sender put in the message.
    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Node {NodeKey} sent a heartbeat naming another node; refused")]
    private static partial void LogForeignNode(ILogger logger, string nodeKey);
}
