using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// What the new items of one batch have claimed so far: content, storage path and idempotency key, each of which
/// the database (or the file system) allows only once. A later item that claims any of them again is not inserted
/// with the batch.
/// </summary>
internal sealed class BatchClaims
{
    private readonly HashSet<(long Center, string ContentType, string Sha256)> content = [];
    private readonly HashSet<(long Center, string SourceSystem, IngestMode Boundary, string Key)> keys = [];
    private readonly HashSet<string> paths = new(StringComparer.Ordinal);

    /// <summary>Claims all that this item needs; false when an earlier item already claims any of it.</summary>
    public bool TryClaim(IngestRequest request, Center center, string sha256)
    {
        var path = ContentStore.RelativePathFor(center.CenterKey, sha256, request.ContentType, request.StorageClass);

        // Non-short-circuit: every claim is taken even when an earlier one is already held.
        var claimed = !content.Add((center.Id, request.ContentType, sha256))
            | !paths.Add(path)
            | (request.IdempotencyKey is { } key && !keys.Add((center.Id, request.SourceSystem, request.Boundary, key)));
        return !claimed;
    }
}
