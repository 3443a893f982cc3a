namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>Why an overlay field was not kept (<see cref="FieldQuality.Dropped"/>).</summary>
internal static class FieldDropReasons
{
    /// <summary>No sampled frame gave text for the field.</summary>
    public const string NotRead = "not_read";

    /// <summary>Text was read, but none of it parsed as the field's kind (a name, a plausible date, an endoscope designation).</summary>
    public const string Implausible = "implausible";

    /// <summary>The leading value's mean OCR confidence is under <see cref="OverlayReaderOptions.MinConfidence"/>.</summary>
    public const string Confidence = "confidence";

    /// <summary>Fewer than <see cref="OverlayReaderOptions.MinAgreement"/> of the sampled frames read the leading value.</summary>
    public const string Agreement = "agreement";
}
