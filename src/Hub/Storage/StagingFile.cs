using System.Security.Cryptography;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.Storage;

/// <summary>
/// A new staging file that takes an artifact's plaintext as a write-only stream and keeps it in the form of its
/// storage class: sealed into LXENC01 record by record when a key ring is given (the plaintext never reaches the
/// disk), else as it is. The plaintext is hashed and counted on the way. <see cref="CompleteAsync"/> fsyncs the file
/// and names it as <see cref="StagedContent"/>; disposed without it, the file is removed.
/// </summary>
public sealed class StagingFile : StagingStream
{
    private readonly FileStream file;
    private readonly LxEnc01WriteStream? encryptor;
    private readonly long maxBytes;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long length;
    private bool completed;
    private bool disposed;

    private StagingFile(FileStream file, LxEnc01WriteStream? encryptor, long maxBytes)
    {
        this.file = file;
        this.encryptor = encryptor;
        this.maxBytes = maxBytes;
    }

    public string Path => file.Name;

    public bool Encrypted => encryptor is not null;

    public override bool CanWrite => !disposed && !completed;

    /// <summary>Creates the file at <paramref name="path"/> (which must not exist) with <paramref name="mode"/>.</summary>
    /// <param name="encryptWith">The ring to seal the plaintext under (encrypted class), or null to keep it as it is.</param>
    /// <param name="maxBytes">More plaintext than this fails a write with <see cref="ContentTooLargeException"/>.</param>
    public static async Task<StagingFile> CreateAsync(string path, MasterKeyRing? encryptWith, UnixFileMode mode, long maxBytes, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = mode,
        });
        try
        {
            var encryptor = encryptWith is null
                ? null
                : await LxEnc01WriteStream.CreateAsync(file, encryptWith, LxEnc01.DefaultChunkSize, leaveOpen: true, cancellationToken);
            return new StagingFile(file, encryptor, maxBytes);
        }
        catch
        {
            await file.DisposeAsync();
            ContentStore.DeleteQuietly(path);
            throw;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (completed)
        {
            throw new InvalidOperationException("The staging file is already complete.");
        }

        if (length + buffer.Length > maxBytes)
        {
            throw new ContentTooLargeException(maxBytes);
        }

        hash.AppendData(buffer.Span);
        length += buffer.Length;
        await (encryptor is null ? file.WriteAsync(buffer, cancellationToken) : encryptor.WriteAsync(buffer, cancellationToken));
    }

    /// <summary>Seals the last record (encrypted class), fsyncs and closes the file and returns it as staged content; the caller owns the file from here.</summary>
    public override async Task<StagedContent> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (encryptor is not null)
        {
            await encryptor.CompleteAsync(cancellationToken);
        }

        // fsync has no asynchronous form; the bytes are on disk before the staged content is handed on.
#pragma warning disable CA1849
        file.Flush(flushToDisk: true);
#pragma warning restore CA1849
        completed = true;
        var staged = new StagedContent(file.Name, Convert.ToHexStringLower(hash.GetHashAndReset()), length, Durable: true, Encrypted: Encrypted);

        // The file is the caller's from here: it is closed, so it can be read, moved or removed at once.
        disposed = true;
        await ReleaseAsync();
        return staged;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            await ReleaseAsync();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            ReleaseAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async ValueTask ReleaseAsync()
    {
        hash.Dispose();
        if (encryptor is not null)
        {
            await encryptor.DisposeAsync();
        }

        await file.DisposeAsync();
        if (!completed)
        {
            ContentStore.DeleteQuietly(file.Name);
        }
    }
}
