using System.Security.Cryptography;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Sync;
using LxAnnotate.Shared.Envelope;
using LxAnnotate.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Node.Tests.Sync;

public sealed class EnvelopeStagerTests : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task StageAsync_CalledAgain_ReturnsIdenticalCiphertextAndMetadata()
    {
        var recipient = NewKey();
        var stager = Stager(recipient.GeneratePublicKey());
        var (item, content) = Item("video/mp4", 3 * 1024 * 1024 + 17);

        var first = (await stager.StageAsync(item, CancellationToken.None))!;
        var firstBytes = await File.ReadAllBytesAsync(first.CiphertextPath);
        var second = (await stager.StageAsync(item, CancellationToken.None))!;

        Assert.Equal(first.MetadataJson, second.MetadataJson);
        Assert.Equal(first.FingerprintSha256, second.FingerprintSha256);
        Assert.Equal(firstBytes, await File.ReadAllBytesAsync(second.CiphertextPath));
        Assert.Equal(content.Length, firstBytes.Length);
        Assert.NotEqual(content, firstBytes);

        // The staged ciphertext opens with the recipient's private key and gives the outbox copy back.
        var envelope = MediaEnvelope.Parse(second.MetadataJson);
        Assert.Equal(item.Sha256, envelope.PlaintextSha256);
        Assert.Equal("video", envelope.ResourceKind);
        Assert.Equal($"site-a__video__{item.Sha256}__grpc_v1", envelope.TransferKey);
        Assert.Equal(GrpcEnvelopeContract.DefaultCenter, envelope.SourceCenterKey);
        var key = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, new RecipientKeyRing([recipient]));
        await using var ciphertext = File.OpenRead(second.CiphertextPath);
        using var plaintext = new MemoryStream();
        await EnvelopeCrypto.DecryptAsync(envelope, key, ciphertext, plaintext, CancellationToken.None);
        Assert.Equal(content, plaintext.ToArray());
    }

    [Fact]
    public async Task StageAsync_HalfWrittenStaging_EncryptsAnewAndRemoveDeletesIt()
    {
        var stager = Stager(NewKey().GeneratePublicKey());
        var (item, _) = Item("application/pdf", 5000);

        // A crash after the ciphertext but before its metadata: the staging is incomplete and redone.
        await File.WriteAllBytesAsync(EnvelopeStager.CiphertextPath(item), new byte[10]);
        var staged = (await stager.StageAsync(item, CancellationToken.None))!;

        Assert.Equal(5000, new FileInfo(staged.CiphertextPath).Length);
        Assert.Equal("report", MediaEnvelope.Parse(staged.MetadataJson).ResourceKind);

        EnvelopeStager.Remove(item);
        Assert.False(File.Exists(EnvelopeStager.CiphertextPath(item)));
        Assert.False(File.Exists(EnvelopeStager.MetadataPath(item)));
        Assert.True(File.Exists(item.StoredPath));
    }

    [Fact]
    public async Task StageAsync_RecipientKeyChanged_StagesForTheNewKey()
    {
        var (item, _) = Item("video/mp4", 4096);
        var old = (await Stager(NewKey().GeneratePublicKey()).StageAsync(item, CancellationToken.None))!;
        var newKey = NewKey().GeneratePublicKey();

        var staged = (await Stager(newKey).StageAsync(item, CancellationToken.None))!;

        Assert.NotEqual(old.FingerprintSha256, staged.FingerprintSha256);
        Assert.Equal(X25519Keys.KeyId(newKey), MediaEnvelope.Parse(staged.MetadataJson).RecipientKeyId);
    }

    [Fact]
    public async Task StageAsync_AnotherIdentity_StagesForIt_SameIdentityAgainReusesIt()
    {
        var stager = Stager(NewKey().GeneratePublicKey());
        var (item, _) = Item("application/pdf", 4096);
        var grpc = (await stager.StageAsync(item, CancellationToken.None))!;
        var identity = new EnvelopeIdentity(
            $"site-a__report__{item.Sha256}__processed_v1", "site-a", "center-a", "hub", "report", item.Sha256, "metadata_and_processed_media", "processed");

        var pythonEra = (await stager.StageAsync(item, identity, CancellationToken.None))!;
        var again = (await stager.StageAsync(item, identity, CancellationToken.None))!;

        Assert.NotEqual(grpc.FingerprintSha256, pythonEra.FingerprintSha256);
        var envelope = MediaEnvelope.Parse(pythonEra.MetadataJson);
        Assert.Equal((identity.TransferKey, "center-a", "hub", "processed"), (envelope.TransferKey, envelope.SourceCenterKey, envelope.TargetNodeKey, envelope.MediaRole));
        Assert.Equal(pythonEra.FingerprintSha256, again.FingerprintSha256);
    }

    [Fact]
    public async Task StageAsync_NoRecipientKey_ReturnsNull()
    {
        var (item, _) = Item("video/mp4", 100);

        Assert.Null(await Stager(null).StageAsync(item, CancellationToken.None));
        Assert.False(File.Exists(EnvelopeStager.CiphertextPath(item)));
    }

    private static X25519PrivateKeyParameters NewKey() => new(new SecureRandom());

    private EnvelopeStager Stager(X25519PublicKeyParameters? recipient) => new(new NodeSettings
    {
        HubSocketPath = root.Combine("run", "hub.sock"),
        OutboxDir = root.Combine("node", "outbox"),
        OutboxDatabase = root.Combine("node", "outbox.sqlite3"),
        NodeKey = "site-a",
        ExportRecipientPublicKey = recipient,
    });

    private (OutboxItem Item, byte[] Content) Item(string contentType, int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        var path = root.Combine("node", "outbox", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return (new OutboxItem
        {
            Id = Guid.NewGuid(),
            State = OutboxState.Queued,
            StoredPath = path,
            SourcePath = root.Combine("import", "a"),
            ContentType = contentType,
            Entrypoint = "watcher.drop_folder",
            SourceSystem = "lxa-node",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            SizeBytes = size,
        }, content);
    }
}
