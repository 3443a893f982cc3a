using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Storage.Encryption;

public sealed class LxEnc01Tests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1, 1024)]
    [InlineData(1023, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 1024)]
    [InlineData(5000, 1024)]
    [InlineData(3 * 1024 * 1024 + 7, LxEnc01.DefaultChunkSize)]
    public async Task WriteThenRead_VariousLengths_RoundTrips(int length, int chunkSize)
    {
        var ring = TestKeys.RandomRing();
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var encrypted = await EncryptAsync(plaintext, ring, chunkSize);

        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), ring);
        var roundTrip = new MemoryStream();
        await reader.CopyToAsync(roundTrip).WaitAsync(Timeout);

        Assert.Equal(plaintext, roundTrip.ToArray());
        Assert.Equal(length, reader.Length);
        Assert.Equal((length + chunkSize - 1) / chunkSize, reader.ChunkCount);
    }

    [Fact]
    public async Task Write_Layout_MatchesFormatDescription()
    {
        var ring = TestKeys.Ring32;
        var encrypted = await EncryptAsync(new byte[2500], ring, 1000);

        Assert.Equal("LXENC01\n"u8.ToArray(), encrypted[..8]);
        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));
        var header = Encoding.ASCII.GetString(encrypted, 12, headerLength);
        Assert.Matches("""^\{"algorithm":"AESGCM-chunked-v1","chunk_size":1000,"nonce_prefix":"[A-Za-z0-9_-]{11}=","version":1,"wrap_nonce":"[A-Za-z0-9_-]{16}","wrapped_dek":"[A-Za-z0-9_-]{64}"\}$""", header);

        // Two full records and a short one of 500 bytes, nothing after it.
        var offset = 12 + headerLength;
        Assert.Equal(1016u, BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(offset)));
        Assert.Equal(1016u, BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(offset + 1020)));
        Assert.Equal(516u, BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(offset + 2040)));
        Assert.Equal(offset + 2040 + 520, encrypted.Length);
    }

    [Fact]
    public async Task Write_EmptyPlaintext_HasHeaderAndNoRecords()
    {
        var ring = TestKeys.RandomRing();
        var encrypted = await EncryptAsync([], ring, 1024);

        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));
        Assert.Equal(12 + headerLength, encrypted.Length);
        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), ring);
        Assert.Equal(0, reader.Length);
        Assert.Equal(0, reader.Read(new byte[10]));
    }

    [Fact]
    public async Task Write_TwoFiles_UseFreshDataKeysAndNonces()
    {
        var ring = TestKeys.RandomRing();
        var plaintext = new byte[100];
        var first = await EncryptAsync(plaintext, ring, 1024);
        var second = await EncryptAsync(plaintext, ring, 1024);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.AsSpan(12, 100).ToArray(), second.AsSpan(12, 100).ToArray());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 4999)]
    [InlineData(1023, 1024)]
    [InlineData(1000, 3100)]
    [InlineData(2048, 2048)]
    [InlineData(4096, 4999)]
    [InlineData(4999, 4999)]
    public async Task Seek_RangeAcrossChunkBoundaries_ReturnsExactBytes(int start, int end)
    {
        var ring = TestKeys.RandomRing();
        var plaintext = RandomNumberGenerator.GetBytes(5000);
        var encrypted = await EncryptAsync(plaintext, ring, 1024);
        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), ring);

        reader.Seek(start, SeekOrigin.Begin);
        var range = new byte[end - start + 1];
        await reader.ReadExactlyAsync(range).AsTask().WaitAsync(Timeout);

        Assert.Equal(plaintext[start..(end + 1)], range);
    }

    [Fact]
    public async Task Read_RangeInLastChunk_DecryptsOnlyThatChunk()
    {
        var ring = TestKeys.RandomRing();
        var plaintext = RandomNumberGenerator.GetBytes(5000);
        var encrypted = await EncryptAsync(plaintext, ring, 1024);
        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));

        // Corrupt chunk 0: a range read in chunk 4 never touches it, a read of chunk 0 fails.
        encrypted[12 + headerLength + 10] ^= 0xFF;
        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), ring);
        reader.Position = 4500;
        var tail = new byte[500];
        reader.ReadExactly(tail);
        Assert.Equal(plaintext[4500..], tail);

        reader.Position = 0;
        Assert.Throws<EncryptedStorageException>(() => reader.ReadExactly(new byte[1]));
    }

    [Fact]
    public async Task Read_TamperedCiphertext_FailsWithoutReleasingThatChunk()
    {
        var ring = TestKeys.RandomRing();
        var plaintext = RandomNumberGenerator.GetBytes(3000);
        var encrypted = await EncryptAsync(plaintext, ring, 1024);
        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));
        encrypted[12 + headerLength + 1044 + 4 + 5] ^= 0x01;

        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), ring);
        var output = new byte[3000];
        var first = reader.Read(output);
        Assert.Equal(1024, first);
        var ex = Assert.Throws<EncryptedStorageException>(() => reader.Read(output, first, 3000 - first));
        Assert.Contains("chunk 1", ex.Message, StringComparison.Ordinal);
        Assert.All(output[first..], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Read_TamperedHeader_Fails()
    {
        var ring = TestKeys.RandomRing();
        var encrypted = await EncryptAsync(new byte[100], ring, 1024);
        var text = Encoding.ASCII.GetString(encrypted);

        // Same length, other chunk size digit: the header is the chunks' additional data, so the chunk fails.
        var index = text.IndexOf("\"chunk_size\":1024", StringComparison.Ordinal) + "\"chunk_size\":".Length;
        encrypted[index + 3] = (byte)'5';
        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), ring);
        Assert.Throws<EncryptedStorageException>(() => reader.ReadExactly(new byte[100]));
    }

    [Fact]
    public async Task Read_ReorderedRecords_Fails()
    {
        var ring = TestKeys.RandomRing();
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(3000), ring, 1024);
        var data = 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));
        var swapped = encrypted.ToArray();
        encrypted.AsSpan(data, 1044).CopyTo(swapped.AsSpan(data + 1044));
        encrypted.AsSpan(data + 1044, 1044).CopyTo(swapped.AsSpan(data));

        using var reader = LxEnc01ReadStream.Open(new MemoryStream(swapped), ring);
        var ex = Assert.Throws<EncryptedStorageException>(() => reader.ReadExactly(new byte[10]));
        Assert.Contains("authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TruncatedInsideRecord_Fails()
    {
        var ring = TestKeys.RandomRing();
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(3000), ring, 1024);

        foreach (var cut in new[] { 1, 5, 100, 952 + 19 })
        {
            Assert.Throws<EncryptedStorageException>(() => LxEnc01ReadStream.Open(new MemoryStream(encrypted[..^cut]), ring));
        }
    }

    [Fact]
    public async Task Open_CutAtRecordBoundaryWithExpectedLength_Fails()
    {
        var ring = TestKeys.RandomRing();
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(3072), ring, 1024);

        // Dropping the last full record leaves a well-formed file of 2048 bytes: only the recorded length tells.
        var cut = encrypted[..^1044];
        using (var shorter = LxEnc01ReadStream.Open(new MemoryStream(cut), ring))
        {
            Assert.Equal(2048, shorter.Length);
        }

        var ex = Assert.Throws<EncryptedStorageException>(() => LxEnc01ReadStream.Open(new MemoryStream(cut), ring, expectedPlaintextLength: 3072));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ExtraRecordAfterShortLast_Fails()
    {
        var ring = TestKeys.RandomRing();
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(1500), ring, 1024);
        var data = 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));

        // Append a copy of the first (full) record after the short last one.
        var extended = encrypted.Concat(encrypted.AsSpan(data, 1044).ToArray()).ToArray();
        Assert.Throws<EncryptedStorageException>(() => LxEnc01ReadStream.Open(new MemoryStream(extended), ring));
    }

    [Fact]
    public async Task Read_ExtraFullRecordAfterFullLast_FailsAtThatRecord()
    {
        var ring = TestKeys.RandomRing();
        var plaintext = RandomNumberGenerator.GetBytes(2048);
        var encrypted = await EncryptAsync(plaintext, ring, 1024);
        var data = 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8));
        var extended = encrypted.Concat(encrypted.AsSpan(data, 1044).ToArray()).ToArray();

        using var reader = LxEnc01ReadStream.Open(new MemoryStream(extended), ring);
        var all = new MemoryStream();
        Assert.Throws<EncryptedStorageException>(() => reader.CopyTo(all));
        Assert.Throws<EncryptedStorageException>(() => LxEnc01ReadStream.Open(new MemoryStream(extended), ring, expectedPlaintextLength: 2048));
    }

    [Fact]
    public async Task Open_WrongKey_FailsWithClearMessage()
    {
        var encrypted = await EncryptAsync(new byte[10], TestKeys.RandomRing(), 1024);

        var ex = Assert.Throws<EncryptedStorageException>(() => LxEnc01ReadStream.Open(new MemoryStream(encrypted), TestKeys.RandomRing()));
        Assert.Contains("No configured master key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_RetiringKeyWrapped_OpensAndReportsKeyIndex()
    {
        var old = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(50);
        var encrypted = await EncryptAsync(plaintext, new MasterKeyRing(old), 1024);
        var rotated = new MasterKeyRing(RandomNumberGenerator.GetBytes(32), [RandomNumberGenerator.GetBytes(24), old]);

        using var reader = LxEnc01ReadStream.Open(new MemoryStream(encrypted), rotated);
        Assert.Equal(2, reader.KeyIndex);
        var output = new byte[50];
        reader.ReadExactly(output);
        Assert.Equal(plaintext, output);
    }

    [Theory]
    [InlineData("NOTLXENC")]
    [InlineData("LXENC0")]
    [InlineData("")]
    public void Open_NoMagic_Fails(string content)
    {
        var ex = Assert.Throws<EncryptedStorageException>(() =>
            LxEnc01ReadStream.Open(new MemoryStream(Encoding.ASCII.GetBytes(content + "\n1234567890")), TestKeys.RandomRing()));
        Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":1024,"nonce_prefix":"AAAAAAAAAAA=","version":2,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v2","chunk_size":1024,"nonce_prefix":"AAAAAAAAAAA=","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":67108865,"nonce_prefix":"AAAAAAAAAAA=","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":0,"nonce_prefix":"AAAAAAAAAAA=","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":1024,"nonce_prefix":"AAAAAAAAAAA","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":1024,"nonce_prefix":"AAAAAAAAAAA=","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":1024,"extra":1,"nonce_prefix":"AAAAAAAAAAA=","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1","chunk_size":1024.5,"nonce_prefix":"AAAAAAAAAAA=","version":1,"wrap_nonce":"AAAAAAAAAAAAAAAA","wrapped_dek":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"algorithm":"AESGCM-chunked-v1"} trailing""")]
    public void Parse_InvalidHeader_Fails(string json)
    {
        Assert.Throws<EncryptedStorageException>(() => LxEnc01Header.Parse(Encoding.ASCII.GetBytes(json)));
    }

    [Fact]
    public void Parse_EncodedHeader_RoundTripsByteForByte()
    {
        var header = new LxEnc01Header(4096, RandomNumberGenerator.GetBytes(48), RandomNumberGenerator.GetBytes(12), RandomNumberGenerator.GetBytes(8));

        var bytes = header.Encode();
        var parsed = LxEnc01Header.Parse(bytes);

        Assert.Equal(bytes, parsed.Encode());
        Assert.Equal(header.WrappedDek.ToArray(), parsed.WrappedDek.ToArray());
    }

    [Fact]
    public void Open_OversizedHeaderLength_Fails()
    {
        var bytes = new byte[12];
        "LXENC01\n"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 64 * 1024 + 1);

        var ex = Assert.Throws<EncryptedStorageException>(() => LxEnc01ReadStream.Open(new MemoryStream(bytes), TestKeys.RandomRing()));
        Assert.Contains("size limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_LargeStream_RoundTripsWithOneChunkInMemory()
    {
        // 200 MiB through the file path: the writer and reader each hold one 1 MiB chunk, never the file.
        using var dir = new TempDirectory();
        var ring = TestKeys.RandomRing();
        var path = dir.Combine("large.lxenc");
        const long Size = 200L * 1024 * 1024;

        await using (var source = new PatternStream(Size))
        {
            var written = await EncryptedFile.WriteAsync(source, path, ring).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.Equal(Size, written.PlaintextLength);
            Assert.Equal(await PatternStream.Sha256Async(Size), written.PlaintextSha256);
        }

        var hash = await EncryptedFile.Sha256Async(path, ring, Size).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(await PatternStream.Sha256Async(Size), hash);
    }

    [Fact]
    public async Task WriteAsync_ExistingTarget_FailsAndLeavesNoTempFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("a.lxenc");
        await File.WriteAllTextAsync(path, "keep");

        await Assert.ThrowsAsync<IOException>(() => EncryptedFile.WriteAsync(new MemoryStream([1, 2, 3]), path, TestKeys.RandomRing()));

        Assert.Equal("keep", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task ReencryptInPlaceAsync_RetiringKeyFile_RewrapsUnderCurrentKey()
    {
        using var dir = new TempDirectory();
        var old = RandomNumberGenerator.GetBytes(32);
        var current = RandomNumberGenerator.GetBytes(32);
        var path = dir.Combine("r.lxenc");
        var plaintext = RandomNumberGenerator.GetBytes(3000);
        await EncryptedFile.WriteAsync(new MemoryStream(plaintext), path, new MasterKeyRing(old), chunkSize: 1024);

        var result = await EncryptedFile.ReencryptInPlaceAsync(path, new MasterKeyRing(current, [old]));

        Assert.Equal(3000, result.PlaintextLength);
        using var reader = LxEnc01ReadStream.OpenFile(path, new MasterKeyRing(current));
        Assert.Equal(0, reader.KeyIndex);
        Assert.Equal(1024, reader.Header.ChunkSize);
        var output = new byte[3000];
        reader.ReadExactly(output);
        Assert.Equal(plaintext, output);
    }

    private static async Task<byte[]> EncryptAsync(byte[] plaintext, MasterKeyRing ring, int chunkSize)
    {
        var output = new MemoryStream();
        await using (var writer = await LxEnc01WriteStream.CreateAsync(output, ring, chunkSize, leaveOpen: true))
        {
            // Odd write sizes exercise chunk filling across calls.
            var offset = 0;
            var step = 1;
            while (offset < plaintext.Length)
            {
                var take = Math.Min(step, plaintext.Length - offset);
                await writer.WriteAsync(plaintext.AsMemory(offset, take));
                offset += take;
                step = step * 3 % 4093 + 1;
            }

            await writer.CompleteAsync();
        }

        return output.ToArray();
    }
}
