using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>The facts of a claimed job a pipeline needs; read once after the claim.</summary>
/// <param name="StoredFile">Absolute path of the stored artifact.</param>
internal sealed record ProcessingJob(
    Guid Id,
    string ContentType,
    string StoredFile,
    long CenterId,
    string CenterKey,
    string CenterName,
    ProcessingProvenance Provenance)
{
    /// <summary>A preanonymized export: it arrived from the <c>preanonymized_import</c> folder with a sidecar.</summary>
    public bool IsPreanonymized => Provenance.SidecarPath is not null;

    public bool IsVideo => ContentType.StartsWith("video/", StringComparison.Ordinal);

    public bool IsReport => string.Equals(ContentType, "application/pdf", StringComparison.Ordinal);
}
