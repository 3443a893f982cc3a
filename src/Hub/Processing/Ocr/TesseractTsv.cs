using System.Globalization;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>Parses Tesseract's TSV output (<c>tsv</c> config). Pure functions.</summary>
internal static class TesseractTsv
{
    private const int Columns = 12;

    /// <summary>The words (level 5 rows with text) of <paramref name="tsv"/>; malformed rows are skipped.</summary>
    public static IReadOnlyList<OcrWord> ParseWords(string tsv)
    {
        var words = new List<OcrWord>();
        foreach (var rawLine in tsv.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var cells = line.Split('\t');
            if (cells.Length < Columns || cells[0] != "5")
            {
                continue;
            }
            var text = string.Join('\t', cells[(Columns - 1)..]).Trim();
            if (text.Length == 0
                || !TryInt(cells[1], out var page) || !TryInt(cells[2], out var block) || !TryInt(cells[3], out var paragraph)
                || !TryInt(cells[4], out var lineNumber) || !TryInt(cells[6], out var left) || !TryInt(cells[7], out var top)
                || !TryInt(cells[8], out var width) || !TryInt(cells[9], out var height)
                || !double.TryParse(cells[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence))
            {
                continue;
            }
            words.Add(new OcrWord(page, block, paragraph, lineNumber, left, top, width, height, confidence, text));
        }
        return words;
    }

    /// <summary>
    /// One <see cref="OcrLine"/> per page 1…<paramref name="pages"/>: the page's words joined by single
    /// spaces (lines by a space too), confidence the mean of the word confidences; null for an empty page.
    /// </summary>
    public static IReadOnlyList<OcrLine?> ToPageLines(IReadOnlyList<OcrWord> words, int pages)
    {
        var result = new OcrLine?[pages];
        foreach (var group in words.GroupBy(w => w.Page))
        {
            if (group.Key < 1 || group.Key > pages)
            {
                continue;
            }
            var ordered = group.OrderBy(w => w.Block).ThenBy(w => w.Paragraph).ThenBy(w => w.Line).ThenBy(w => w.Left).ToList();
            result[group.Key - 1] = new OcrLine(string.Join(' ', ordered.Select(w => w.Text)), ordered.Average(w => w.Confidence));
        }
        return result;
    }

    /// <summary>Page text with one output line per Tesseract line, in reading order.</summary>
    public static string ToText(IEnumerable<OcrWord> words) =>
        string.Join('\n', words
            .GroupBy(w => (w.Block, w.Paragraph, w.Line))
            .OrderBy(g => g.Key.Block).ThenBy(g => g.Key.Paragraph).ThenBy(g => g.Key.Line)
            .Select(g => string.Join(' ', g.OrderBy(w => w.Left).Select(w => w.Text))));

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
