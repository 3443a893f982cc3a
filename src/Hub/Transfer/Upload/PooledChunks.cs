using System.Buffers;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.Shared.Transfer;

namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// Upload chunks read into a few reused arrays instead of a new one per message. Protobuf's own parser copies each
/// chunk into a new 1 MiB array (1,024 per GiB, each cold memory the copy and the hash then touch for the first
/// time); here a message that is only a chunk (the usual case) is copied from the received frames into a pooled
/// array, which the receive loop gives back once the chunk is written (<see cref="Return"/>). Any other message
/// (header, trailer, a chunk beside other fields) goes through the generated parser unchanged. At most
/// <see cref="Retained"/> arrays are kept; with more streams at once the rest are ordinary garbage, so many
/// concurrent uploads do not grow the hub's memory by an array each.
/// </summary>
internal static class PooledChunks
{
    /// <summary>Size of each pooled array: the largest chunk a sender may send by default.</summary>
    public const int ArrayBytes = TransferLimits.DefaultMaxChunkBytes;

    /// <summary>Arrays kept between uses: one being filled and one being written per core.</summary>
    public static readonly int Retained = 2 * Environment.ProcessorCount;

    private const byte ChunkTag = (2 << 3) | 2; // field 2 (chunk), length-delimited

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(ArrayBytes, Retained);

    private static long read;

    /// <summary>Chunks read into pooled arrays since the process started.</summary>
    public static long Read => Interlocked.Read(ref read);

    /// <summary>The Upload request marshaller with the pooled read of chunks; serialization as generated.</summary>
    public static Marshaller<UploadRequest> Marshaller(Marshaller<UploadRequest> generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        return Marshallers.Create(generated.ContextualSerializer, Deserialize);
    }

    /// <summary>A chunk's array back to the pool once its bytes are written; anything else is left alone.</summary>
    public static void Return(ReadOnlyMemory<byte> chunk)
    {
        if (MemoryMarshal.TryGetArray(chunk, out var segment) && segment.Array is { Length: ArrayBytes } array)
        {
            // An array the parser made for a chunk of exactly this size is as good as a pooled one: no one else holds it.
            Pool.Return(array);
        }
    }

    internal static UploadRequest Deserialize(DeserializationContext context)
    {
        var payload = context.PayloadAsReadOnlySequence();
        return TryReadChunk(payload) ?? UploadRequest.Parser.ParseFrom(payload);
    }

    /// <summary>The message when it is exactly one non-empty chunk field that fits a pooled array; else null.</summary>
    internal static UploadRequest? TryReadChunk(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        if (!reader.TryRead(out var tag) || tag != ChunkTag)
        {
            return null;
        }

        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28 || !reader.TryRead(out var b))
            {
                return null;
            }

            length |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (length == 0 || length > ArrayBytes || (long)length != reader.Remaining)
        {
            return null;
        }

        var array = Pool.Rent(ArrayBytes);
        reader.UnreadSequence.CopyTo(array);
        Interlocked.Increment(ref read);
        return new UploadRequest { Chunk = UnsafeByteOperations.UnsafeWrap(array.AsMemory(0, (int)length)) };
    }

    /// <summary>
    /// Binds the generated Transfer service with <see cref="Marshaller"/> for <c>Upload</c>'s requests; every other
    /// method as generated.
    /// </summary>
    internal sealed class Binder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (method is Method<UploadRequest, UploadReply> upload && upload.Name == "Upload")
            {
                var pooled = new Method<UploadRequest, UploadReply>(upload.Type, upload.ServiceName, upload.Name, Marshaller(upload.RequestMarshaller), upload.ResponseMarshaller);
                inner.AddMethod((Method<TRequest, TResponse>)(object)pooled, handler);
                return;
            }

            inner.AddMethod(method, handler);
        }
    }
}
