using Grpc.Core;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Hub.Metrics;

/// <summary>An Upload request stream that adds each chunk's length to a running total as the service reads it.</summary>
internal sealed class CountingStreamReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
{
    public long Bytes { get; private set; }

    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var moved = await inner.MoveNext(cancellationToken);
        if (moved && inner.Current is UploadRequest { KindCase: UploadRequest.KindOneofCase.Chunk } request)
        {
            Bytes += request.Chunk.Length;
        }

        return moved;
    }
}
