using Microsoft.AspNetCore.Http;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// Read-only view of a multipart section that turns failures of the client's body (truncated, malformed,
/// over the server's size limit) into <see cref="UploadFormException"/>. That keeps them apart from
/// <see cref="IOException"/>s of the disk the content store writes to, which are the hub's fault.
/// </summary>
internal sealed class ClientBodyStream(Stream inner, long maxFileBytes) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (UploadFormReader.Translate(ex, maxFileBytes) is { } translated)
        {
            throw translated;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Request bodies are read asynchronously only.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
