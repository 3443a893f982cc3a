using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Upload;

/// <summary>A parsed <c>/api/upload/</c> form: the staged file and the text fields that came with it.</summary>
/// <param name="File">The <c>file</c> part, already staged and hashed; the caller owns (and must delete or ingest) it.</param>
/// <param name="SniffedContentType">
/// The type sniffed from the part's first bytes when the file was staged encrypted (<see cref="StagedContent.Encrypted"/>),
/// since the staged ciphertext cannot be sniffed; null otherwise.
/// </param>
/// <param name="FileName">File name from the part's Content-Disposition, if any.</param>
/// <param name="Fields">Known text fields by name; empty values are kept as sent.</param>
internal sealed record UploadForm(StagedContent File, string? SniffedContentType, string? FileName, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
