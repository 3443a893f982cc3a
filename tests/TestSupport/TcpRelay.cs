using System.Net;
using System.Net.Sockets;

namespace LxAnnotate.TestSupport;

/// <summary>
/// A loopback port that forwards every connection to another endpoint, both ways, until either side closes:
/// a service a program was told about can be made reachable at a chosen moment. Disposing stops listening and
/// closes the forwarded connections.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> connections = [];
    private readonly Task accepting;

    private TcpRelay(int port, IPEndPoint target)
    {
        this.target = target;
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> and forwards to <paramref name="target"/>.</summary>
    public static TcpRelay Start(int port, IPEndPoint target) => new(port, target);

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (connections)
            {
                connections.Add(ForwardAsync(client));
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var _ = client;
        using var server = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(target, stopping.Token);
            await using var a = new NetworkStream(client, ownsSocket: false);
            await using var b = new NetworkStream(server, ownsSocket: false);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            var toTarget = a.CopyToAsync(b, done.Token);
            var toClient = b.CopyToAsync(a, done.Token);
            await Task.WhenAny(toTarget, toClient);
            await done.CancelAsync();
            await Task.WhenAll(toTarget, toClient).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
        {
            // One side went away or the relay is stopping: the other side is closed with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10));
        stopping.Dispose();
    }
}
