namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>One word of Tesseract TSV output: 1-based page, layout indices, box in image pixels, confidence 0…100.</summary>
internal sealed record OcrWord(int Page, int Block, int Paragraph, int Line, int Left, int Top, int Width, int Height, double Confidence, string Text);
