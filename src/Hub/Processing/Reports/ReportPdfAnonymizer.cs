using System.Globalization;
using System.Security.Cryptography;
using LxAnnotate.Hub.Processing.Imaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Builds the anonymized report PDF: each page rasterised (<c>pdftoppm -gray</c> at <see cref="OutputDpi"/>),
/// every sensitive word (<see cref="SensitiveSpans"/> on each line of the page's words — PdfPig boxes for text
/// PDFs, Tesseract TSV boxes for scanned ones) covered by a black box, and the pages rebuilt as an image-only
/// PDF with PdfPig's builder, so no text layer can leak. The result is opened again and must yield no text.
/// </summary>
internal sealed class ReportPdfAnonymizer(ReportTextExtractor extractor, TimeProvider time)
{
    /// <summary>Resolution of the anonymized pages.</summary>
    public const int OutputDpi = 150;

    /// <summary>Writes the anonymized PDF of <paramref name="pdfPath"/> (already read into <paramref name="document"/>) to <paramref name="outputPath"/>.</summary>
    /// <exception cref="ReportRedactionException">The output still has text, or could not be built.</exception>
    /// <exception cref="ReportUnreadableException">A page cannot be rendered.</exception>
    public async Task<AnonymizedPdf> CreateAsync(string pdfPath, ReportDocument document, ReportMetadata metadata, string outputPath, string? tempRoot, CancellationToken cancellationToken)
    {
        var pivotYear = time.GetUtcNow().Year;
        using var temp = new PrivateTempDirectory(tempRoot);
        var builder = new PdfDocumentBuilder();
        var redacted = 0;
        foreach (var page in document.Pages)
        {
            var image = await extractor.RasterizeAsync(pdfPath, page.Number, OutputDpi, temp, cancellationToken).ConfigureAwait(false);
            foreach (var word in SensitiveWords(page, metadata, pivotYear))
            {
                Cover(image, word);
                redacted++;
            }
            var pdfPage = builder.AddPage(page.WidthPoints, page.HeightPoints);
            pdfPage.AddPng(image.ToPng(), new PdfRectangle(0, 0, page.WidthPoints, page.HeightPoints));
        }
        var bytes = builder.Build();
        VerifyImageOnly(bytes, document.Pages.Count);
        await File.WriteAllBytesAsync(outputPath, bytes, cancellationToken).ConfigureAwait(false);
        return new AnonymizedPdf(outputPath, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), document.Pages.Count, redacted);
    }

    /// <summary>The words of <paramref name="page"/> that overlap a sensitive span of their line.</summary>
    public static IReadOnlyList<ReportWord> SensitiveWords(ReportPage page, ReportMetadata metadata, int pivotYear)
    {
        var result = new List<ReportWord>();
        foreach (var line in page.Words.GroupBy(w => w.Line))
        {
            var words = line.ToList();
            var starts = new int[words.Count];
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < words.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(' ');
                }
                starts[i] = text.Length;
                text.Append(words[i].Text);
            }
            var spans = SensitiveSpans.Find(text.ToString(), metadata, pivotYear);
            for (var i = 0; i < words.Count; i++)
            {
                var start = starts[i];
                var end = start + words[i].Text.Length;
                if (spans.Any(s => s.Start < end && s.End > start))
                {
                    result.Add(words[i]);
                }
            }
        }
        return result;
    }

    private static void Cover(GrayImage image, ReportWord word)
    {
        var padX = Math.Max(2, word.Height * image.Height * 0.15);
        var padY = Math.Max(2, word.Height * image.Height * 0.2);
        var x = (int)Math.Floor((word.Left * image.Width) - padX);
        var y = (int)Math.Floor((word.Top * image.Height) - padY);
        var right = (int)Math.Ceiling(((word.Left + word.Width) * image.Width) + padX);
        var bottom = (int)Math.Ceiling(((word.Top + word.Height) * image.Height) + padY);
        image.Fill(x, y, right - x, bottom - y, 0);
    }

    private static void VerifyImageOnly(byte[] pdf, int expectedPages)
    {
        try
        {
            using var check = PdfDocument.Open(pdf);
            if (check.NumberOfPages != expectedPages)
            {
                throw new ReportRedactionException(string.Create(CultureInfo.InvariantCulture,
                    $"anonymized PDF has {check.NumberOfPages} pages, the report {expectedPages}"));
            }
            foreach (var page in check.GetPages())
            {
                if (page.GetWords().Any() || !string.IsNullOrWhiteSpace(page.Text))
                {
                    throw new ReportRedactionException("anonymized PDF has a text layer");
                }
            }
        }
        catch (Exception e) when (e is not ReportRedactionException)
        {
            throw new ReportRedactionException("anonymized PDF cannot be read back", e);
        }
    }
}
