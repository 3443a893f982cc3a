using System.CommandLine;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.Cli;

/// <summary><c>lxa-node status</c>: outbox counts by state, oldest pending item, last error, hub reachability.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var command = new Command("status", "Show the outbox and whether the hub answers.");
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(async () =>
        {
            using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult)).Build();
            // The schema only, not the crash repair: a running node may be taking a file right now, and what status
            // prints must not depend on (or be interleaved with the log of) repairing that node's item under it.
            var outbox = host.Services.GetRequiredService<OutboxStore>();
            await outbox.InitializeAsync(cancellationToken);
            var counts = await outbox.CountsAsync(cancellationToken);
            var items = await outbox.ListAsync(cancellationToken);
            var pending = items.Where(i => i.State is OutboxState.Queued or OutboxState.Offered or OutboxState.Uploading).ToList();
            var oldest = pending.Count == 0 ? null : pending.MinBy(i => i.CreatedAt);
            var lastError = items.Where(i => i.LastError is not null).MaxBy(i => i.UpdatedAt);
            var hub = host.Services.GetRequiredService<HubConnection>();
            var reachable = await ReachableAsync(hub, cancellationToken);

            if (parseResult.GetValue(json))
            {
                var report = new StatusReport(
                    counts,
                    oldest is null ? null : new StatusPendingItem(oldest.Id, oldest.CreatedAt, oldest.State, oldest.Attempts),
                    lastError?.LastError,
                    new StatusHub(hub.Target, reachable is null, reachable),
                    [.. items.Select(i => new StatusItem(i.Id, i.State, i.Sha256, i.SizeBytes, i.UploadJobId, i.LastError))]);
                Console.WriteLine(JsonSerializer.Serialize(report, NodeJsonContext.Default.StatusReport));
            }
            else
            {
                Console.WriteLine("outbox: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
                Console.WriteLine(oldest is null ? "oldest pending: none" : $"oldest pending: {oldest.Id} since {oldest.CreatedAt:u} ({oldest.State}, {oldest.Attempts} attempts)");
                Console.WriteLine($"last error: {lastError?.LastError ?? "none"}");
                Console.WriteLine($"hub {hub.Target}: {reachable ?? "reachable"}");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>
    /// How long one health check may take. Covers the first call's TLS handshake on a busy host; a refused
    /// connection still fails at once, only a hub that never answers costs the whole wait.
    /// </summary>
    internal static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Null when the hub answers its health check, else what went wrong.</summary>
    internal static async Task<string?> ReachableAsync(HubConnection hub, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await hub.Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(HealthDeadline), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : $"not serving ({reply.Status})";
        }
        catch (RpcException ex)
        {
            return $"unreachable ({ex.StatusCode}: {ex.Status.Detail})";
        }
    }
}
