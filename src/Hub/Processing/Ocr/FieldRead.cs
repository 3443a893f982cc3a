namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>One frame's parsed value of a field with the OCR confidence (0…100) of the line it came from.</summary>
/// <param name="LineFits">False when the raw line holds characters the field's kind never has (digits in a name region): the value was cleaned out of noise.</param>
internal sealed record FieldRead<T>(T Value, double Confidence, bool LineFits = true)
    where T : notnull;
