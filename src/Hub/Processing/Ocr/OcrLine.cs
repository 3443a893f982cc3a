namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>The text Tesseract read from one single-line image, with its mean word confidence (0…100).</summary>
internal sealed record OcrLine(string Text, double Confidence);
