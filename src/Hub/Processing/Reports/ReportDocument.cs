namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>The text of a report PDF with word boxes per page. Holds patient data: never log it.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the PDF bytes (seeds the pseudonyms).</param>
/// <param name="Source">Text layer or OCR.</param>
/// <param name="Pages">Pages in order.</param>
internal sealed record ReportDocument(string Sha256, ReportTextSource Source, IReadOnlyList<ReportPage> Pages)
{
    /// <summary>The whole text, pages separated by a form feed line.</summary>
    public string Text => string.Join("\n\f\n", Pages.Select(p => p.Text));
}
