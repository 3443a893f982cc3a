namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>One frame's parsed value of a field with the OCR confidence (0…100) of the line it came from.</summary>
internal sealed record FieldRead<T>(T Value, double Confidence)
    where T : notnull;
