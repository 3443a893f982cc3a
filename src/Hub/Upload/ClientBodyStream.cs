using LxAnnotate.Hub.Hosting;
using Microsoft.AspNetCore.Http;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// Read-only view of a multipart section that turns failures of the client's body (truncated, malformed,
/// over the server's size limit) into <see cref="UploadFormException"/>. That keeps them apart from
/// <see cref="IOException"/>s of the disk the content store writes to, which are the hub's fault.
/// <see cref="PeekAsync"/> reads the first bytes ahead (to sniff the type) and replays them.
/// </summary>
internal sealed class ClientBodyStream(Stream inner, long maxFileBytes) : AsyncReadOnlyStream
{
    private ReadOnlyMemory<byte> replay;

    private bool started;

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes from the start of the body (fewer only when the body is shorter);
    /// the next reads return them again before the rest. Only before the first read.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> PeekAsync(int length, CancellationToken cancellationToken)
    {
        if (started)
        {
            throw new InvalidOperationException("PeekAsync is only possible before the first read.");
        }

        var head = new byte[length];
        var filled = 0;
        int read;
        while (filled < length && (read = await ReadInnerAsync(head.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        started = true;
        replay = head.AsMemory(0, filled);
        return replay;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        started = true;
        if (!replay.IsEmpty && !buffer.IsEmpty)
        {
            var count = Math.Min(replay.Length, buffer.Length);
            replay[..count].CopyTo(buffer);
            replay = replay[count..];
            return count;
        }

        return await ReadInnerAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
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
}
