namespace LxAnnotate.Shared.Sniffing;

/// <summary>The outcome of <see cref="ContentTypeResolver"/>.</summary>
/// <param name="ContentType">The accepted content type; null when the file is refused.</param>
/// <param name="Described">What the file was taken for (named in the refusal); null when nothing could be determined.</param>
public sealed record ContentTypeDecision(string? ContentType, string? Described);
