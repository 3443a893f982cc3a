using Grpc.Core;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.PythonEraHub;
using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.Health;

/// <summary>
/// Reports the node's state to the hub on start and then every <see cref="HeartbeatSettings.Interval"/>. Only a node
/// with its own certificate (<c>LXA_NODE_HUB_URL</c>) has an identity to report; a hub that answers UNIMPLEMENTED
/// predates heartbeats, so the node stops sending them. A failed heartbeat never touches the sync.
/// </summary>
internal sealed partial class HeartbeatService(
    HeartbeatSettings heartbeat,
    NodeSettings settings,
    PythonEraHubSettings pythonEra,
    HubConnection hub,
    NodeStateReader state,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    /// <summary>How long one heartbeat may take before it is given up until the next.</summary>
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!heartbeat.Enabled || settings.HubUrl is null || pythonEra.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(heartbeat.Interval);
        do
        {
            if (!await SendOnceAsync(stoppingToken))
            {
                return;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One heartbeat; false when the hub does not know heartbeats, so none is sent again.</summary>
    internal async Task<bool> SendOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var request = await state.ReadAsync(cancellationToken);
            var reply = await hub.Client.HeartbeatAsync(request, deadline: DateTime.UtcNow.Add(Deadline), cancellationToken: cancellationToken);
            LogSent(logger, reply.ClockOffsetMs);
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            LogNotSupported(logger);
            return false;
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or Microsoft.Data.Sqlite.SqliteException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex is RpcException rpc ? rpc.StatusCode.ToString() : ex.GetType().Name);
            return true;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug, Message = "Heartbeat sent; clock offset to the hub {ClockOffsetMs} ms")]
    private static partial void LogSent(ILogger logger, long clockOffsetMs);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "The hub does not take heartbeats (UNIMPLEMENTED); the node goes on without them")]
    private static partial void LogNotSupported(ILogger logger);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Heartbeat not delivered ({Error}); the next one follows at the usual interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
