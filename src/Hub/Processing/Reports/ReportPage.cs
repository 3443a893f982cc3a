namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>One page of a report: 1-based number, size in PDF points, its words and its text (one line per text line).</summary>
internal sealed record ReportPage(int Number, double WidthPoints, double HeightPoints, IReadOnlyList<ReportWord> Words, string Text);
