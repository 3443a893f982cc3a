using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Sniffing;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// Stages a transfer's media (a plaintext body, or an envelope as it is decrypted) in the form of its storage class.
/// The type comes from the first bytes, as the original decides it; those bytes wait in memory until the type, and
/// with it the class, is known, so an encrypted-class media (a report PDF) is sealed into LXENC01 from its first record
/// and its plaintext never reaches the disk.
/// </summary>
internal sealed class HubTransferMediaSink(string path, string fallbackContentType, Func<string, MasterKeyRing?> encryptionFor, UnixFileMode mode, long maxBytes)
    : StagingStream
{
    private readonly byte[] head = new byte[ContentSniffer.HeadLength];
    private int headLength;
    private long length;
    private StagingFile? file;
    private bool disposed;

    public override bool CanWrite => !disposed;

    /// <summary>The media's type (the fallback for media the sniffer does not name), set once the first bytes arrived; null before.</summary>
    public string? ContentType { get; private set; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        length += buffer.Length;
        if (file is null)
        {
            var take = Math.Min(buffer.Length, head.Length - headLength);
            buffer[..take].CopyTo(head.AsMemory(headLength));
            headLength += take;
            buffer = buffer[take..];
            if (headLength < head.Length)
            {
                return;
            }

            // The whole length is not known yet: any ISO box size up to it is plausible.
            await OpenAsync(long.MaxValue, cancellationToken);
        }

        if (!buffer.IsEmpty)
        {
            await file!.WriteAsync(buffer, cancellationToken);
        }
    }

    public override async Task<StagedContent> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (file is null)
        {
            await OpenAsync(length, cancellationToken);
        }

        return await file!.CompleteAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            Array.Clear(head);
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            Array.Clear(head);
            file?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The first bytes decide the type and so the class (one decision for both, so they always agree); the file is
    /// created in that form and those bytes go first.
    /// </summary>
    private async Task OpenAsync(long totalLength, CancellationToken cancellationToken)
    {
        ContentType = ContentSniffer.Detect(head.AsSpan(0, headLength), totalLength) ?? fallbackContentType;
        file = await StagingFile.CreateAsync(path, encryptionFor(ContentType), mode, maxBytes, cancellationToken);
        await file.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
    }
}
