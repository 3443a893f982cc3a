using System.Net.Sockets;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>One <c>lxa-hub serve</c> process of the simulated deployment, with its own ports and replica name.</summary>
internal sealed class HubReplica(string replicaId, int apiPort, int transferPort, ChildProcess process) : IAsyncDisposable
{
    public string ReplicaId { get; } = replicaId;

    public int TransferPort { get; } = transferPort;

    public ChildProcess Process { get; } = process;

    public static async Task<HubReplica> StartAsync(string replicaId, IReadOnlyDictionary<string, string?> shared)
    {
        var apiPort = FreePort.Next();
        var transferPort = FreePort.Next();
        var environment = new Dictionary<string, string?>(shared)
        {
            ["LXA_HUB_API_URL"] = $"http://127.0.0.1:{apiPort}",
            ["LXA_HUB_TRANSFER_URL"] = $"https://127.0.0.1:{transferPort}",
            ["LXA_HUB_LOCAL_SOCKET"] = "off",
            ["LXA_HUB_REPLICA_ID"] = replicaId,
        };
        var replica = new HubReplica(replicaId, apiPort, transferPort, ChildProcess.StartDotnet(Binaries.Hub, ["serve"], environment));
        await replica.WaitReadyAsync();
        return replica;
    }

    /// <summary>CPU seconds the process has used so far (user + system, from /proc).</summary>
    public double CpuSeconds() => ProcessCpu.Seconds(Process.Id, includeChildren: false);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"lxa-hub {ReplicaId} exited with {Process.ExitCode}:\n{Process.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{apiPort}/readyz"));
                if (response.IsSuccessStatusCode && await ListensAsync(TransferPort))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"lxa-hub {ReplicaId} was not ready within 90 s:\n{Process.Output}");
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
