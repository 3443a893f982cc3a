namespace LxAnnotate.Hub.Upload;

/// <summary>The outcome of <see cref="UploadTypeResolver"/>.</summary>
/// <param name="ContentType">The accepted content type; null when the file is refused.</param>
/// <param name="Described">What the file was taken for (named in the refusal); null when nothing could be determined.</param>
internal sealed record UploadTypeDecision(string? ContentType, string? Described);
