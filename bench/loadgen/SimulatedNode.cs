using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// One site node: its own mTLS channel (its own certificate) to one replica, sending artifacts one after the other
/// as a node's outbox does: small ones with <c>Deliver</c>, every n-th a large one with <c>Offer</c> and <c>Upload</c>.
/// Every artifact is unique (random content), so each success must be a new upload job.
/// </summary>
internal sealed class SimulatedNode : IDisposable
{
    private readonly SiteIdentity site;
    private readonly LoadOptions options;
    private readonly GrpcChannel channel;
    private readonly Transfer.TransferClient client;

    public SimulatedNode(SiteIdentity site, int replicaIndex, int port, Func<X509Certificate2, bool> validatesServer, LoadOptions options)
    {
        this.site = site;
        this.options = options;
        Tally = new NodeTally(site.NodeKey, site.CenterKey, replicaIndex);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [site.Certificate],
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && validatesServer(new X509Certificate2(c)),
            },
        };
        channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
        client = new Transfer.TransferClient(channel);
    }

    public NodeTally Tally { get; }

    /// <summary>One small delivery outside the measurement: the TLS connection and the hub's first-call paths are warm.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var content = Content(-1, options.SmallBytes);
        await client.DeliverAsync(new DeliverRequest { Offer = Offer(content, -1, "application/pdf"), Content = ByteString.CopyFrom(content) }, cancellationToken: cancellationToken);
    }

    public async Task RunAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        for (var seq = 0; seq < options.MaxPerNode && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested; seq++)
        {
            var large = options.LargeEvery > 0 && seq % options.LargeEvery == options.LargeEvery - 1;
            try
            {
                if (large)
                {
                    await SendLargeAsync(seq, cancellationToken);
                }
                else
                {
                    await DeliverAsync(seq, cancellationToken);
                }
            }
            catch (RpcException e)
            {
                Tally.Fail(e.StatusCode);
            }
        }
    }

    public void Dispose() => channel.Dispose();

    private async Task DeliverAsync(int seq, CancellationToken cancellationToken)
    {
        var content = Content(seq, options.SmallBytes);
        var request = new DeliverRequest { Offer = Offer(content, seq, "application/pdf"), Content = ByteString.CopyFrom(content) };
        var clock = Stopwatch.StartNew();
        var reply = await client.DeliverAsync(request, cancellationToken: cancellationToken);
        Tally.DeliverMs.Add(clock.Elapsed.TotalMilliseconds);
        Record(reply, content.Length);
    }

    private async Task SendLargeAsync(int seq, CancellationToken cancellationToken)
    {
        var content = Content(seq, options.LargeBytes);
        var clock = Stopwatch.StartNew();
        var offered = await client.OfferAsync(Offer(content, seq, "video/mp4"), cancellationToken: cancellationToken);
        Tally.OfferMs.Add(clock.Elapsed.TotalMilliseconds);
        if (offered.ResultCase != OfferReply.ResultOneofCase.Transfer)
        {
            throw new InvalidOperationException($"{site.NodeKey}: a new artifact was answered as already stored.");
        }

        var ready = offered.Transfer;
        clock.Restart();
        using var call = client.Upload(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = ready.TransferId, Offset = ready.Offset } }, cancellationToken);
        for (var at = (int)ready.Offset; at < content.Length; at += ready.MaxChunkBytes)
        {
            var length = Math.Min(ready.MaxChunkBytes, content.Length - at);
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, at, length) }, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call;
        Tally.UploadMs.Add(clock.Elapsed.TotalMilliseconds);
        Record(reply, content.Length);
    }

    private void Record(UploadReply reply, int length)
    {
        if (!reply.Created)
        {
            throw new InvalidOperationException($"{site.NodeKey}: a new artifact reused job {reply.UploadJobId}.");
        }

        Tally.Store(length);
    }

    private OfferRequest Offer(byte[] content, int seq, string contentType) => new()
    {
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Size = content.Length,
        ContentType = contentType,
        OriginalFilename = $"{site.NodeKey}-{seq}{(contentType == "video/mp4" ? ".mp4" : ".pdf")}",
        CenterKey = site.CenterKey,
        SourceSystem = "loadgen",
        IdempotencyKey = $"{site.NodeKey}-{seq}",
    };

    private static byte[] Content(int seq, int length)
    {
        var content = new byte[length];
        Random.Shared.NextBytes(content);
        BitConverter.TryWriteBytes(content.AsSpan(0, 4), seq);
        return content;
    }
}
