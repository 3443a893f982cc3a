using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// Puts an artifact's bytes into staging in the form its storage class keeps (LXENC01 ciphertext for
/// <see cref="StorageClasses.Encrypted"/>, the plaintext never written), fsynced, and checks them against what was declared.
/// </summary>
internal sealed class ContentStager(ContentStore store, EncryptedArtifactStore encryptedStore, ILogger audit)
{
    /// <summary>The storage class of this artifact; encrypted without a configured key is refused.</summary>
    public string DecideStorageClass(IngestRequest request) =>
        StorageClasses.Decide(request.StorageClass, request.ContentType, encryptedStore.IsConfigured)
        ?? throw AuditLog.Reject(audit, request, IngestRejectionReason.InvalidInput, "encrypted storage was requested, but no master key is configured.");

    /// <summary>Streams <paramref name="content"/> into staging in <paramref name="request"/>'s (decided) storage class, hashing it.</summary>
    public async Task<StagedContent> StageAsync(IngestRequest request, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            return request.StorageClass == StorageClasses.Encrypted
                ? await encryptedStore.StageAsync(content, maxBytes, cancellationToken)
                : await store.StageAsync(content, maxBytes, cancellationToken);
        }
        catch (ContentTooLargeException ex)
        {
            throw AuditLog.Reject(audit, request, IngestRejectionReason.TooLarge, ex.Message);
        }
    }

    /// <summary>
    /// Brings bytes a boundary staged itself into the form <paramref name="storageClass"/> keeps, on disk;
    /// the plaintext a boundary staged before the class was known is encrypted and removed.
    /// </summary>
    public async Task<StagedContent> AdoptAsync(IngestRequest request, StagedContent staged, string storageClass, CancellationToken cancellationToken)
    {
        if (staged.Encrypted && storageClass != StorageClasses.Encrypted)
        {
            throw new InvalidOperationException(
                $"The boundary staged ciphertext for a {request.ContentType} artifact that is stored in the {storageClass} class.");
        }

        if (storageClass == StorageClasses.Encrypted && !staged.Encrypted)
        {
            return await encryptedStore.EncryptStagedAsync(staged, cancellationToken);
        }

        if (!staged.Durable)
        {
            // The bytes must be on disk before the job that points at them is committed.
            ContentStore.SyncFile(staged.Path);
            return staged with { Durable = true };
        }

        return staged;
    }

    /// <summary>The staged bytes are the ones declared (size and SHA-256, where declared), or the artifact is refused.</summary>
    public void Verify(IngestRequest request, StagedContent staged)
    {
        if (staged.SizeBytes == 0)
        {
            throw AuditLog.Reject(audit, request, IngestRejectionReason.InvalidInput, "The artifact is empty (0 bytes); an empty file is not accepted.");
        }

        if (request.ExpectedSizeBytes is { } size && size != staged.SizeBytes)
        {
            throw AuditLog.Reject(audit, request, IngestRejectionReason.IntegrityMismatch, $"Received {staged.SizeBytes} bytes, declared {size}.");
        }

        var expectedHash = request.ExpectedSha256?.ToLowerInvariant();
        if (expectedHash is not null && !string.Equals(expectedHash, staged.Sha256, StringComparison.Ordinal))
        {
            throw AuditLog.Reject(audit, request, IngestRejectionReason.IntegrityMismatch, "The SHA-256 of the received bytes differs from the declared one.");
        }
    }
}
