using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.Upload;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>Upload chunks read into pooled arrays: the same messages as protobuf's parser, whatever the frames' split.</summary>
public sealed class PooledChunksTests
{
    public static TheoryData<int, int> Chunks() => new()
    {
        { 1, 1 }, { 127, 3 }, { 128, 7 }, { 16_384, 4096 }, { PooledChunks.ArrayBytes, 4096 }, { PooledChunks.ArrayBytes, 1_000_000 },
    };

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Deserialize_ChunkOnly_SameBytesAsTheParser_InAPooledArray(int size, int segmentBytes)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        var wire = new UploadRequest { Chunk = ByteString.CopyFrom(content) }.ToByteArray();

        var pooled = PooledChunks.TryReadChunk(Segmented(wire, segmentBytes));

        Assert.NotNull(pooled);
        Assert.Equal(UploadRequest.Parser.ParseFrom(wire), pooled);
        Assert.True(MemoryMarshal.TryGetArray(pooled.Chunk.Memory, out var segment));
        Assert.Equal(PooledChunks.ArrayBytes, segment.Array!.Length);
        PooledChunks.Return(pooled.Chunk.Memory);
    }

    [Fact]
    public void Deserialize_HeaderTrailerOversizedOrChunkWithMore_LeftToTheParser()
    {
        var header = new UploadRequest { Header = new UploadHeader { TransferId = Guid.NewGuid().ToString(), Offset = 5 } }.ToByteArray();
        var trailer = new UploadRequest { Trailer = new UploadTrailer { Sha256 = new string('a', 64) } }.ToByteArray();
        var oversized = new UploadRequest { Chunk = ByteString.CopyFrom(new byte[PooledChunks.ArrayBytes + 1]) }.ToByteArray();
        var empty = new UploadRequest { Chunk = ByteString.Empty }.ToByteArray();
        var withUnknownField = new UploadRequest { Chunk = ByteString.CopyFrom([1, 2, 3]) }.ToByteArray().Concat(new byte[] { (9 << 3) | 0, 1 }).ToArray();

        Assert.All(new[] { header, trailer, oversized, empty, withUnknownField }, wire => Assert.Null(PooledChunks.TryReadChunk(new ReadOnlySequence<byte>(wire))));
        Assert.Equal(3, UploadRequest.Parser.ParseFrom(withUnknownField).Chunk.Length);
    }

    [Fact]
    public void BindService_UploadGetsThePooledMarshaller_OtherMethodsAsGenerated()
    {
        var binder = new RecordingBinder();

        TransferGrpcService.BindService(binder, null);

        var wire = new UploadRequest { Chunk = ByteString.CopyFrom([1, 2, 3]) }.ToByteArray();
        var upload = (Method<UploadRequest, UploadReply>)binder.Methods.Single(m => m.Name == "Upload");
        var parsed = upload.RequestMarshaller.ContextualDeserializer(new Context(wire));
        Assert.True(MemoryMarshal.TryGetArray(parsed.Chunk.Memory, out var segment));
        Assert.Equal(PooledChunks.ArrayBytes, segment.Array!.Length);
        Assert.Contains(binder.Methods, m => m.Name == "Offer");
        Assert.Contains(binder.Methods, m => m.Name == "DeliverMany");
    }

    [Fact]
    public async Task Upload_ThroughTheHub_ChunksAreReadIntoPooledArrays_AndStoredIntact()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes((3 * TransferClientExtensions.ChunkSize) + 17);
        var before = PooledChunks.Read;

        var (_, reply, _) = await client.SendAsync(content);

        Assert.True(PooledChunks.Read - before >= 4, $"{PooledChunks.Read - before} chunks read into pooled arrays");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), reply!.Sha256);
        Assert.Equal(content, await File.ReadAllBytesAsync(Directory.EnumerateFiles(Path.Combine(hub.StorageDir, "centers"), "*", SearchOption.AllDirectories).Single()));
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentBytes)
    {
        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += segmentBytes)
        {
            var piece = bytes.AsMemory(i, Math.Min(segmentBytes, bytes.Length - i));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class Context(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }

    private sealed class RecordingBinder : ServiceBinderBase
    {
        public List<IMethod> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) => Methods.Add(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) => Methods.Add(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) => Methods.Add(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) => Methods.Add(method);
    }
}
