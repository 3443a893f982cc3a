using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Transfer.PartialFiles;

/// <summary>
/// Where the files of an open transfer live: <c>STORAGE_DIR/incoming/&lt;transfer_id&gt;.part</c> for its bytes, an
/// <c>.envelope.json</c> next to it for an enveloped transfer, and a <c>.plain</c> staging file while it is decrypted.
/// </summary>
internal sealed class PartialFileStore(ContentStore store)
{
    public string IncomingDir => store.IncomingDir;

    public string PartialPath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.part");

    /// <summary>The envelope metadata of an enveloped transfer, kept next to its partial ciphertext.</summary>
    public string EnvelopePath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.envelope.json");

    public string PlaintextPath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.plain");

    /// <summary>
    /// Opens the partial file of <paramref name="transferId"/> for one Upload call, creating it on the first.
    /// FileShare.None is an exclusive lock on Linux too: a second Upload of the same transfer (a sender retrying
    /// while its old stream still runs) is refused, never interleaved.
    /// </summary>
    public PartialFile OpenExclusive(Guid transferId, ILogger logger)
    {
        Directory.CreateDirectory(store.IncomingDir);
        try
        {
            return PartialFile.Open(PartialPath(transferId), logger);
        }
        catch (IOException)
        {
            throw new TransferException(TransferErrorKind.Busy, $"Transfer {transferId} is being received by another call.");
        }
    }

    /// <summary>Removes the partial bytes and the envelope metadata of a transfer that will not be resumed.</summary>
    public void Discard(Guid transferId)
    {
        ContentStore.DeleteQuietly(PartialPath(transferId));
        ContentStore.DeleteQuietly(EnvelopePath(transferId));
    }

    public string? ReadEnvelopeJson(Guid transferId)
    {
        try
        {
            return File.ReadAllText(EnvelopePath(transferId));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes the envelope metadata durably (temp file, fsync, rename) before the session that needs it is committed.</summary>
    public async Task WriteEnvelopeJsonAsync(Guid transferId, string json, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(store.IncomingDir);
        var target = EnvelopePath(transferId);
        var temp = target + ".tmp";
        await using (var file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        }))
        {
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json), cancellationToken);
            PartialFile.SyncToDisk(file);
        }

        File.Move(temp, target, overwrite: true);
    }
}
