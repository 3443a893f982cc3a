using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Transfer.Upload;

namespace LxAnnotate.Hub.Transfer.PartialFiles;

/// <summary>
/// Where the files of an open transfer live, under <c>STORAGE_DIR/incoming/</c>: <c>&lt;transfer_id&gt;.part</c> for the
/// bytes as received (a managed-class artifact, or an envelope's ciphertext), <c>&lt;transfer_id&gt;.lxenc.part</c> for
/// an encrypted-class artifact sealed into LXENC01 as it arrives, an <c>.envelope.json</c> next to an enveloped
/// transfer's bytes, and a <c>.staged</c> file while an envelope is decrypted into its storage class.
/// </summary>
internal sealed class PartialFileStore(ContentStore store, EncryptedArtifactStore encryptedStore)
{
    public string IncomingDir => store.IncomingDir;

    public string PartialPath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.part");

    public string EncryptedPartialPath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.lxenc.part");

    /// <summary>The envelope metadata of an enveloped transfer, kept next to its partial ciphertext.</summary>
    public string EnvelopePath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.envelope.json");

    /// <summary>Where an envelope's media is decrypted to, in the form of its storage class.</summary>
    public string StagingPath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.staged");

    /// <summary>The key ring an artifact of <paramref name="contentType"/> is kept encrypted under, or null when it is kept as it is.</summary>
    public MasterKeyRing? EncryptionFor(string contentType) => encryptedStore.KeyRingFor(contentType);

    /// <summary>
    /// Opens the partial file of <paramref name="session"/> for one Upload call, creating it on the first: an
    /// enveloped transfer's ciphertext as it is, an encrypted-class artifact as LXENC01, anything else as it is.
    /// FileShare.None is an exclusive lock on Linux too: a second Upload of the same transfer (a sender retrying
    /// while its old stream still runs) is refused, never interleaved. It is the second guard behind
    /// <see cref="TransferLock"/>: on a shared file system it holds only as far as that file system's locks do.
    /// </summary>
    public PartialFile OpenExclusive(TransferSession session, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(session);
        Directory.CreateDirectory(store.IncomingDir);
        var encryptWith = File.Exists(EnvelopePath(session.Id)) ? null : EncryptionFor(session.ContentType);
        try
        {
            return PartialFile.Open(encryptWith is null ? PartialPath(session.Id) : EncryptedPartialPath(session.Id), encryptWith, logger);
        }
        catch (IOException)
        {
            throw TransferLock.Busy(session.Id);
        }
    }

    /// <summary>Removes the partial bytes (in either form), the staging file and the envelope metadata of a transfer that will not be resumed.</summary>
    public void Discard(Guid transferId)
    {
        ContentStore.DeleteQuietly(PartialPath(transferId));
        ContentStore.DeleteQuietly(EncryptedPartialPath(transferId));
        ContentStore.DeleteQuietly(StagingPath(transferId));
        ContentStore.DeleteQuietly(EnvelopePath(transferId));
    }

    public string? ReadEnvelopeJson(Guid transferId)
    {
        // Most transfers carry no envelope: asked first, so that case costs no exception; the catch covers a removal in between.
        var path = EnvelopePath(transferId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(path);
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
            PartialFile.Fsync(file);
        }

        File.Move(temp, target, overwrite: true);
    }
}
