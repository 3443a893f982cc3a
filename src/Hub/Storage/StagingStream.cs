namespace LxAnnotate.Hub.Storage;

/// <summary>
/// A write-only stream that stages an artifact's plaintext in the form of its storage class. The bytes are
/// unverified until <see cref="CompleteAsync"/> returns them as <see cref="StagedContent"/> (durable, hashed);
/// disposed without completion, nothing of them stays on disk.
/// </summary>
public abstract class StagingStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Makes the staged bytes durable and hands them on; the caller owns the file from here.</summary>
    public abstract Task<StagedContent> CompleteAsync(CancellationToken cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    public override void Flush()
    {
        // Bytes go on as they are written; CompleteAsync makes them durable.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
