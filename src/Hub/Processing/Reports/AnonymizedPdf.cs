namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>An image-only anonymized report PDF that passed its no-text check.</summary>
/// <param name="Path">Where it was written.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
/// <param name="Pages">Page count (same as the original).</param>
/// <param name="RedactedWords">Words covered by black boxes.</param>
internal sealed record AnonymizedPdf(string Path, long SizeBytes, string Sha256, int Pages, int RedactedWords);
