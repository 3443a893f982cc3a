namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// A word of a report page with its box as fractions of the page (0…1, origin top-left), so the same box
/// works on a raster of any resolution. <paramref name="Line"/> numbers the lines of the page in reading order.
/// </summary>
internal sealed record ReportWord(string Text, double Left, double Top, double Width, double Height, int Line);
