namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>Where sensitive values came from (<c>sensitive_meta.source</c>).</summary>
internal static class SensitiveSources
{
    /// <summary>Read from a video's overlay by OCR.</summary>
    public const string Ocr = "ocr";

    /// <summary>Read from a report's text (text layer or OCR of a scan).</summary>
    public const string Report = "report";

    /// <summary>Taken from a preanonymized export's sidecar.</summary>
    public const string Sidecar = "sidecar";
}
