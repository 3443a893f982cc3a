using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Sync;
using LxAnnotate.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>An in-process gRPC server on a Unix socket that stands in for the hub with the given Transfer service.</summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory temp;
    private readonly WebApplication app;

    private FakeHubServer(TempDirectory temp, WebApplication app)
    {
        this.temp = temp;
        this.app = app;
    }

    public string SocketPath => temp.Combine("hub.sock");

    public static async Task<FakeHubServer> StartAsync<THub>(THub hub)
        where THub : ProtoTransfer.TransferBase
    {
        var temp = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(temp.Combine("hub.sock"), l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = LxAnnotate.Shared.Transfer.TransferLimits.MaxMessageBytes);
        builder.Services.AddSingleton(hub);
        var app = builder.Build();
        app.MapGrpcService<THub>();
        await app.StartAsync().WaitAsync(Timeout);
        return new FakeHubServer(temp, app);
    }

    public HubConnection Connection() => new(new NodeSettings
    {
        HubSocketPath = SocketPath,
        OutboxDir = temp.Combine("outbox"),
        OutboxDatabase = temp.Combine("outbox.sqlite3"),
    });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().WaitAsync(Timeout);
        await app.DisposeAsync();
        temp.Dispose();
    }
}
