namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// A report (<c>endoreg_db_rawpdffile</c>) or video (<c>endoreg_db_videofile</c>) of the original with its outputs.
/// Paths are relative to the original's storage root.
/// </summary>
/// <param name="Uuid">A video's <c>uuid</c>; null for reports, which have none.</param>
/// <param name="ProcessedFile">The anonymized PDF or the masked video, once produced.</param>
/// <param name="Text">A report's extracted text; null for videos.</param>
/// <param name="AnonymizedText">A report's anonymized text; null for videos.</param>
internal sealed record SourceMediaFile(
    bool IsVideo,
    long Id,
    Guid? Uuid,
    DateTimeOffset CreatedAt,
    long? CenterId,
    long? SensitiveMetaId,
    string? File,
    string? ProcessedFile,
    string? Text,
    string? AnonymizedText)
{
    public override string ToString() => $"SourceMediaFile {{ IsVideo = {IsVideo}, Id = {Id}, text withheld }}";
}
