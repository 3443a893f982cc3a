using System.Globalization;
using System.Security.Cryptography;
using LxAnnotate.Hub.Processing.Imaging;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Tools;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Reads a report PDF's text with PdfPig (words with boxes, grouped into lines). When the text layer holds
/// fewer than <see cref="MinTextCharacters"/> non-blank characters (a scanned report), each page is rasterised
/// with <c>pdftoppm -r 300 -gray</c> and read by Tesseract (<c>deu+eng</c>, automatic page segmentation),
/// whose TSV gives the word boxes.
/// </summary>
internal sealed class ReportTextExtractor(ToolRunner tools, TesseractOcr ocr)
{
    /// <summary>Below this many non-blank characters the text layer is taken as missing.</summary>
    public const int MinTextCharacters = 50;

    /// <summary>Resolution of the OCR raster.</summary>
    public const int OcrDpi = 300;

    /// <summary>Largest page count processed.</summary>
    public const int MaxPages = 200;

    /// <summary>Extracts the text of the PDF at <paramref name="pdfPath"/>.</summary>
    /// <exception cref="ReportUnreadableException">Not a readable PDF or too many pages.</exception>
    /// <exception cref="ExternalToolException">pdftoppm or Tesseract failed.</exception>
    public async Task<ReportDocument> ExtractAsync(string pdfPath, string? tempRoot, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(pdfPath, cancellationToken).ConfigureAwait(false);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var pages = ReadTextLayer(bytes);
        if (pages.Sum(p => p.Text.Count(c => !char.IsWhiteSpace(c))) >= MinTextCharacters)
        {
            return new ReportDocument(sha256, ReportTextSource.PdfText, pages);
        }

        using var temp = new PrivateTempDirectory(tempRoot);
        var ocrPages = new List<ReportPage>();
        foreach (var page in pages)
        {
            var image = await RasterizeAsync(pdfPath, page.Number, OcrDpi, temp, cancellationToken).ConfigureAwait(false);
            var imagePath = temp.NewFile(".pgm");
            await File.WriteAllBytesAsync(imagePath, image.ToPgm(), cancellationToken).ConfigureAwait(false);
            var words = await ocr.ReadPageAsync(imagePath, cancellationToken).ConfigureAwait(false);
            File.Delete(imagePath);
            ocrPages.Add(FromOcr(page, words, image.Width, image.Height));
        }
        return new ReportDocument(sha256, ReportTextSource.Ocr, ocrPages);
    }

    /// <summary>Rasterises page <paramref name="pageNumber"/> at <paramref name="dpi"/> as 8-bit gray.</summary>
    public async Task<GrayImage> RasterizeAsync(string pdfPath, int pageNumber, int dpi, PrivateTempDirectory temp, CancellationToken cancellationToken)
    {
        var prefix = Path.Combine(temp.Path, "page-" + Guid.NewGuid().ToString("N"));
        var number = pageNumber.ToString(CultureInfo.InvariantCulture);
        try
        {
            await tools.RunAsync("pdftoppm",
                ["-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-f", number, "-l", number, "-singlefile", pdfPath, prefix],
                ToolLimits.Short, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException e) when (e.Failure is ExternalToolFailure.NonZeroExit)
        {
            throw new ReportUnreadableException("pdftoppm cannot render the report", e);
        }
        var file = prefix + ".pgm";
        try
        {
            return await GrayImage.ReadPgmAsync(file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static List<ReportPage> ReadTextLayer(byte[] bytes)
    {
        try
        {
            using var document = PdfDocument.Open(bytes);
            if (document.NumberOfPages > MaxPages)
            {
                throw new ReportUnreadableException(string.Create(CultureInfo.InvariantCulture, $"report has {document.NumberOfPages} pages, more than {MaxPages}"));
            }
            var pages = new List<ReportPage>();
            foreach (var page in document.GetPages())
            {
                pages.Add(FromPdfPage(page));
            }
            if (pages.Count == 0)
            {
                throw new ReportUnreadableException("report has no pages");
            }
            return pages;
        }
        catch (Exception e) when (e is not ReportUnreadableException and not OperationCanceledException)
        {
            throw new ReportUnreadableException("report is not a readable PDF", e);
        }
    }

    private static ReportPage FromPdfPage(Page page)
    {
        var width = page.Width;
        var height = page.Height;
        var boxes = page.GetWords()
            .Where(w => !string.IsNullOrWhiteSpace(w.Text))
            .Select(w => (w.Text, Left: w.BoundingBox.Left / width, Top: 1 - (w.BoundingBox.Top / height),
                Width: w.BoundingBox.Width / width, Height: w.BoundingBox.Height / height))
            .ToList();
        return Layout(page.Number, width, height, boxes);
    }

    private static ReportPage FromOcr(ReportPage page, IReadOnlyList<OcrWord> words, int imageWidth, int imageHeight)
    {
        var boxes = words
            .Select(w => (w.Text, Left: (double)w.Left / imageWidth, Top: (double)w.Top / imageHeight,
                Width: (double)w.Width / imageWidth, Height: (double)w.Height / imageHeight))
            .ToList();
        return Layout(page.Number, page.WidthPoints, page.HeightPoints, boxes);
    }

    /// <summary>Groups word boxes into lines (vertical centres within half a word height) in reading order.</summary>
    private static ReportPage Layout(int number, double width, double height, List<(string Text, double Left, double Top, double Width, double Height)> boxes)
    {
        var lines = new List<List<(string Text, double Left, double Top, double Width, double Height)>>();
        foreach (var box in boxes.OrderBy(b => b.Top + (b.Height / 2)).ThenBy(b => b.Left))
        {
            var centre = box.Top + (box.Height / 2);
            var line = lines.Count > 0 ? lines[^1] : null;
            if (line is not null && Math.Abs(line.Average(b => b.Top + (b.Height / 2)) - centre) <= Math.Max(box.Height, line.Max(b => b.Height)) / 2)
            {
                line.Add(box);
            }
            else
            {
                lines.Add([box]);
            }
        }
        var words = new List<ReportWord>();
        var text = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var ordered = lines[i].OrderBy(b => b.Left).ToList();
            words.AddRange(ordered.Select(b => new ReportWord(b.Text, b.Left, b.Top, b.Width, b.Height, i)));
            text.Add(string.Join(' ', ordered.Select(b => b.Text)));
        }
        return new ReportPage(number, width, height, words, string.Join('\n', text));
    }
}
