using System.Security.Cryptography;
using Google.Protobuf;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// An encrypted-class artifact (a PDF) sent to the real hub over gRPC never leaves its plaintext on the hub's disk:
/// the whole data root is swept for a marker the PDF repeats, while the stream runs, after a cancel, after a SIGKILL
/// of the hub, and after the commit.
/// </summary>
public sealed class PlaintextSweepTests
{
    private const int Chunk = 1024 * 1024;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OfferUpload_PdfStreamedCancelledKilledAndCommitted_NoPlaintextOnDiskAtAnyPoint()
    {
        await using var hub = await HubProcess.StartAsync(new Dictionary<string, string?> { ["LXA_HUB_TRANSFER_CHECKPOINT_BYTES"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await hub.AddCenterAsync("center-a");
        var certificate = await hub.AddNodeAsync("node-a", "center-a");
        var client = hub.Client(certificate);
        var marker = PlaintextMarker.New();
        var content = PlaintextMarker.Pdf(marker, (8 * Chunk) + 4321);
        var offer = await client.OfferAsync(Offer(content), deadline: DateTime.UtcNow.Add(StepTimeout));
        var transferId = offer.Transfer.TransferId;

        // While the stream runs: three chunks sent, the stream held open.
        var first = await OpenAsync(client, transferId, 0, content, 3);
        await WaitForOffsetAsync(hub, offset => offset >= 2 * Chunk);
        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));

        // After a cancel: the hub records what it sealed.
        first.Dispose();
        await WaitForOffsetAsync(hub, offset => offset == 3 * Chunk);
        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));

        // After a SIGKILL mid-stream, and again once the hub is back.
        using (var second = await OpenAsync(client, transferId, 3 * Chunk, content, 3))
        {
            await WaitForOffsetAsync(hub, offset => offset >= 4 * Chunk);
            await hub.KillAsync();
        }

        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));
        await hub.RestartAsync();
        var status = await hub.Client(certificate).GetTransferAsync(new GetTransferRequest { TransferId = transferId }, deadline: DateTime.UtcNow.Add(StepTimeout));
        Assert.Equal(0, status.Offset % Chunk);

        // After the commit: the stored file is LXENC01 and decrypts to the PDF.
        var reply = await CompleteAsync(hub.Client(certificate), transferId, status.Offset, content);
        Assert.True(reply.Created);
        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));
        await AssertStoredEncryptedAsync(hub, content);
    }

    [Fact]
    public async Task DeliverAndDeliverMany_Pdfs_NoPlaintextOnDisk()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var marker = PlaintextMarker.New();
        var single = PlaintextMarker.Pdf(marker + "-single", 300_000);
        var batch = Enumerable.Range(0, 3).Select(i => PlaintextMarker.Pdf($"{marker}-batch-{i}", 100_000 + i)).ToArray();

        var delivered = await client.DeliverAsync(new DeliverRequest { Offer = Offer(single), Content = ByteString.CopyFrom(single) }, deadline: DateTime.UtcNow.Add(StepTimeout));
        var many = new DeliverManyRequest();
        many.Items.AddRange(batch.Select(b => new DeliverRequest { Offer = Offer(b), Content = ByteString.CopyFrom(b) }));
        var outcomes = await client.DeliverManyAsync(many, deadline: DateTime.UtcNow.Add(StepTimeout));

        Assert.True(delivered.Created);
        Assert.All(outcomes.Outcomes, o => Assert.True(o.Reply?.Created, o.ErrorMessage));
        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));
        await using var db = hub.Db();
        Assert.All(await db.UploadJobs.ToListAsync(), job => Assert.EndsWith(".lxenc", job.StoragePath, StringComparison.Ordinal));
        Assert.Equal(4, await db.UploadJobs.CountAsync());
    }

    [Fact]
    public async Task RestUpload_Pdf_StoredEncryptedNoPlaintextOnDisk()
    {
        // Standalone on SQLite with a master key, anonymous uploads: only the storage form is under test.
        await using var hub = await HubProcess.StartStandaloneAnonymousAsync();
        await hub.AddCenterAsync("center-a");
        var marker = PlaintextMarker.New();
        var pdf = PlaintextMarker.Pdf(marker, (3 * Chunk) + 5);
        using var http = new HttpClient { Timeout = StepTimeout };
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "report.pdf");

        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{hub.ApiPort}/api/upload/"), form);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));
        await AssertStoredEncryptedAsync(hub, pdf);
    }

    private static OfferRequest Offer(byte[] content) => new()
    {
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Size = content.Length,
        ContentType = "application/pdf",
        OriginalFilename = "report.pdf",
        CenterKey = "center-a",
        SourceSystem = "reports",
    };

    /// <summary>An Upload call that has sent <paramref name="chunks"/> chunks from <paramref name="offset"/> and stays open.</summary>
    private static async Task<Grpc.Core.AsyncClientStreamingCall<UploadRequest, UploadReply>> OpenAsync(
        LxAnnotate.Shared.Protos.V1.Transfer.TransferClient client, string transferId, long offset, byte[] content, int chunks)
    {
        var call = client.Upload(deadline: DateTime.UtcNow.AddMinutes(5));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = offset } });
        for (var i = 0; i < chunks; i++)
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, (int)offset + (i * Chunk), Chunk) });
        }

        return call;
    }

    private static async Task<UploadReply> CompleteAsync(LxAnnotate.Shared.Protos.V1.Transfer.TransferClient client, string transferId, long offset, byte[] content)
    {
        using var call = client.Upload(deadline: DateTime.UtcNow.AddMinutes(2));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = offset } });
        for (var position = offset; position < content.Length; position += Chunk)
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, (int)position, (int)Math.Min(Chunk, content.Length - position)) });
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    private static async Task AssertStoredEncryptedAsync(HubProcess hub, byte[] content)
    {
        await using var db = hub.Db();
        var job = await db.UploadJobs.SingleAsync();
        Assert.EndsWith(".lxenc", job.StoragePath, StringComparison.Ordinal);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha256, job.ContentHash);
        Assert.Equal(sha256, await EncryptedFile.Sha256Async(Path.Combine(hub.StorageDir, job.StoragePath), hub.KeyRing, content.Length));
    }

    private static async Task WaitForOffsetAsync(HubProcess hub, Func<long, bool> reached)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            await using (var db = hub.Db())
            {
                if (reached((await db.Transfers.SingleAsync()).ReceivedBytes))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"the transfer's offset did not reach the expected value within {StepTimeout}");
            await Task.Delay(50);
        }
    }
}
