using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Writer;

namespace LxAnnotate.TestSupport.Media;

/// <summary>Generated report PDFs (invented content): a text PDF built with PdfPig and a scanned (image-only) one.</summary>
public static class ReportPdfFixture
{
    /// <summary>A fixed invented report, one entry per line.</summary>
    public static IReadOnlyList<string> SampleLines { get; } =
    [
        "Universitätsklinikum Musterstadt - Endoskopie",
        "Patient: Müller, Jürgen   geb. 12.05.1961   Fallnummer: 40012345",
        "Unters.: Dr. med. Schmidt, Anna   U-datum: 21.03.2024 14:35",
        "Gerät: Olympus CF-HQ190L   Seriennummer: 2901234",
        "Befund: Koloskopie bis zum Zökum, Schleimhaut unauffällig.",
        "Herr Müller wurde über den Befund informiert.",
        "Kontrolle in 5 Jahren empfohlen.",
    ];

    /// <summary>An A4 PDF with <paramref name="lines"/> as real text (DejaVu Sans, 11 pt).</summary>
    public static byte[] CreateTextPdf(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var builder = new PdfDocumentBuilder();
        var font = builder.AddTrueTypeFont(File.ReadAllBytes(SyntheticMedia.FontFile));
        var page = builder.AddPage(PageSize.A4);
        var y = 780.0;
        foreach (var line in lines)
        {
            page.AddText(line, 11, new PdfPoint(50, y), font);
            y -= 24;
        }
        return builder.Build();
    }

    /// <summary>An A4 PDF whose only content is a 150 dpi picture of <paramref name="lines"/> (a scanned report).</summary>
    public static async Task<byte[]> CreateScannedPdfAsync(IReadOnlyList<string> lines, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var png = Path.Combine(workDirectory, "scan-" + Guid.NewGuid().ToString("N") + ".png");
        var texts = lines.Select((line, i) => new OverlayText(line, 100, 160 + (i * 50), 24)).ToList();
        await SyntheticMedia.CreateTextImageAsync(png, texts, 1240, 1754);
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddPng(await File.ReadAllBytesAsync(png), new PdfRectangle(0, 0, page.PageSize.Width, page.PageSize.Height));
        File.Delete(png);
        return builder.Build();
    }
}
