namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>A sensitive part of a text: start, length, kind, and for dates the parsed date and its form.</summary>
internal sealed record SensitiveSpan(int Start, int Length, SensitiveSpanKind Kind, Ocr.FoundDate? Date = null)
{
    /// <summary>End (exclusive).</summary>
    public int End => Start + Length;
}
