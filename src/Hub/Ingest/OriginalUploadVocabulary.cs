using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// The values the original (endoreg-db <c>UploadJob</c>) writes for an upload job's entry point, storage tier and
/// retention policy, so that reports and clients keyed on them read our jobs as they read its own. Its storage class
/// is <see cref="UploadStorageClasses.Ingest"/> for every new job; how the hub keeps the file (<see cref="StorageClasses"/>,
/// managed or encrypted) is the job's <see cref="UploadJob.StorageEncoding"/>.
/// </summary>
public static class OriginalUploadVocabulary
{
    public const string TierApi = "upload_api";

    public const string TierWatcher = "upload_watcher";

    public const string TierPreanonymized = "upload_preanonymized";

    /// <summary>The sender keeps its copy of the file after success (and the hub keeps every artifact it stored).</summary>
    public const string RetentionPreserveSource = "preserve_source";

    /// <summary>The sender deletes the file it picked up once the hub stored it, as the original's watcher does.</summary>
    public const string RetentionDeleteAfterSuccess = "delete_after_success";

    /// <summary>The provenance hint in which a node states what it does with its copy after success.</summary>
    public const string RetentionHint = "retention_policy";

    /// <summary>
    /// The entry point as the original records it: its ingest mode (<c>api</c>, <c>watcher</c>). Node transfers have
    /// no counterpart there and keep their own names (<c>transfer.grpc</c>, <c>transfer.hub_rest</c>).
    /// </summary>
    public static string Entrypoint(IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Boundary switch
        {
            IngestMode.Api => "api",
            IngestMode.Watcher => "watcher",
            _ => request.Entrypoint,
        };
    }

    /// <summary>The tier the boundary asked for, else the original's: by entry, a preanonymized export (one with a sidecar) apart.</summary>
    public static string StorageTier(IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.StorageTier is { } requested)
        {
            return requested;
        }

        var preanonymized = request.ProvenanceHints?.Keys.Any(k => k.StartsWith(SidecarProvenance.HintPrefix, StringComparison.Ordinal)) == true;
        return request.Boundary switch
        {
            IngestMode.Api => TierApi,
            _ when preanonymized => TierPreanonymized,

            // A node's artifacts are what its watcher (or an operator's push) gathered: the original's watcher tier.
            _ => TierWatcher,
        };
    }

    public static string RetentionPolicy(IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.RetentionPolicy ?? RetentionPreserveSource;
    }
}
