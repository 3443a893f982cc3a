using System.Security.Cryptography;
using LxAnnotate.Shared.Envelope;
using LxAnnotate.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Shared.Tests.Envelope;

[CollectionDefinition(nameof(LargeEnvelopeTests), DisableParallelization = true)]
public sealed class LargeEnvelopeSerialGroup;

/// <summary>
/// A 1 GiB envelope decrypted with bounded memory (allocations counted, not time): under a minute on two
/// cores with BouncyCastle's software AES. <c>LXA_TEST_LARGE_ENVELOPE_BYTES</c> sets another size while
/// iterating locally.
/// </summary>
[Collection(nameof(LargeEnvelopeTests))]
public sealed class LargeEnvelopeTests
{
    private static readonly long Size = long.TryParse(Environment.GetEnvironmentVariable("LXA_TEST_LARGE_ENVELOPE_BYTES"), out var bytes) && bytes > 0
        ? bytes
        : 1024L * 1024 * 1024;

    [Fact]
    public async Task DecryptAsync_LargeEnvelope_VerifiesWithBoundedAllocations()
    {
        var recipient = new X25519PrivateKeyParameters(new SecureRandom());
        var block = RandomNumberGenerator.GetBytes(1024 * 1024 + 13);
        using var directory = new TempDirectory();
        var ciphertextPath = directory.Combine("cipher");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var identity = new EnvelopeIdentity("n__video__" + new string('b', 64) + "__processed_v1", "n", "c", "hub", "video", new string('b', 64), "metadata_and_processed_media", "processed");

        MediaEnvelope envelope;
        await using (var ciphertext = File.Create(ciphertextPath))
        {
            envelope = await EnvelopeCrypto.EncryptAsync(() => new RepeatingStream(block, Size), ciphertext, recipient.GeneratePublicKey(), identity, null, timeout.Token);
        }

        var dek = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, new RecipientKeyRing([recipient]));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        DecryptedMedia result;
        await using (var ciphertext = new FileStream(ciphertextPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous))
        {
            result = await EnvelopeCrypto.DecryptAsync(envelope, dek, ciphertext, Stream.Null, timeout.Token);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Size, result.PlaintextSize);
        Assert.Equal(envelope.PlaintextSha256, result.PlaintextSha256);
        Assert.True(allocated < 64L * 1024 * 1024, $"decrypting {Size} bytes allocated {allocated} bytes");
    }

    /// <summary>A read-only stream of <paramref name="length"/> bytes repeating one block; nothing is held but the block.</summary>
    private sealed class RepeatingStream(byte[] block, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var remaining = (int)Math.Min(buffer.Length, length - position);
            var written = 0;
            while (written < remaining)
            {
                var start = (int)((position + written) % block.Length);
                var take = Math.Min(remaining - written, block.Length - start);
                block.AsSpan(start, take).CopyTo(buffer[written..]);
                written += take;
            }

            position += written;
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
