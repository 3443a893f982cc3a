namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>Where a report's text came from.</summary>
internal enum ReportTextSource
{
    /// <summary>The PDF's own text layer (PdfPig).</summary>
    PdfText,

    /// <summary>Tesseract on pages rasterised by <c>pdftoppm</c> (scanned reports).</summary>
    Ocr,
}
