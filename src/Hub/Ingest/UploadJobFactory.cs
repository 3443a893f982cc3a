using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Ingest;

/// <summary>The new <see cref="UploadJob"/> of staged content, with its storage path and its provenance.</summary>
internal sealed class UploadJobFactory(LxaRuntimeSettings settings, TimeProvider time)
{
    /// <summary><paramref name="count"/> new job ids of this instant, ascending.</summary>
    public List<Guid> NewIds(int count)
    {
        var now = time.GetUtcNow();
        return Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7(now)).Order().ToList();
    }

    public UploadJob Create(IngestRequest request, Center center, StagedContent staged, Guid? id = null)
    {
        var now = time.GetUtcNow();
        return new UploadJob
        {
            Id = id ?? Guid.CreateVersion7(now),
            SourceCenterId = center.Id,
            SourceSystem = request.SourceSystem,
            IngestMode = request.Boundary,
            ContentType = request.ContentType,
            ContentHash = staged.Sha256,
            SizeBytes = staged.SizeBytes,
            IdempotencyKey = request.IdempotencyKey,
            OriginalFilename = SafeFileName(request.OriginalFilename),
            StoragePath = ContentStore.RelativePathFor(center.CenterKey, staged.Sha256, request.ContentType, request.StorageClass),
            StorageEncoding = request.StorageClass,
            StorageClass = UploadStorageClasses.Ingest,
            StorageTier = OriginalUploadVocabulary.StorageTier(request),
            RetentionPolicy = OriginalUploadVocabulary.RetentionPolicy(request),
            ProcessingProvenance = BuildProvenance(request, center, staged.Sha256),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private ProcessingProvenance BuildProvenance(IngestRequest request, Center center, string sha256)
    {
        var hints = request.ProvenanceHints ?? new Dictionary<string, string>();
        string? Hint(string key) => hints.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        // An authenticated node's identity comes from its certificate, never from what it claims.
        var isNode = request.Caller.Kind == CallerKind.Node;
        return new ProcessingProvenance
        {
            Entrypoint = OriginalUploadVocabulary.Entrypoint(request),
            IngestMode = request.Boundary.ToWire(),
            SourceSystem = request.SourceSystem,
            ContentHash = sha256,
            SourceCenterKey = center.CenterKey,
            StorageClass = UploadStorageClasses.Ingest,
            StorageTier = OriginalUploadVocabulary.StorageTier(request),
            RetentionPolicy = OriginalUploadVocabulary.RetentionPolicy(request),
            DeclaredCenterKey = string.IsNullOrWhiteSpace(request.DeclaredCenterKey) ? null : request.DeclaredCenterKey.Trim(),
            ResolvedCenterKey = center.CenterKey,
            HubMode = settings.Role.ToWireName(),
            SourceNodeKey = isNode ? request.Caller.Subject : Hint("source_node_key"),
            TransferId = Hint("transfer_id"),
            ClientCertThumbprint = isNode ? request.Caller.CertificateThumbprint : Hint("client_cert_thumbprint"),
            WatchedPath = Hint("watched_path"),
            SidecarPath = Hint("sidecar_path"),
            OriginalFilename = SafeFileName(request.OriginalFilename) ?? Hint("original_filename"),
            Sidecar = SidecarProvenance.FromHints(hints),
            TransferKey = Hint("transfer_key"),
            EnvelopeFingerprintSha256 = Hint("envelope_fingerprint_sha256"),
        };
    }

    private static string? SafeFileName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : Path.GetFileName(name.Replace('\\', '/'));
}
