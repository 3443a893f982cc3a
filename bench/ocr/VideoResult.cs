namespace LxAnnotate.Bench.Ocr;

/// <summary>What one video cost and how it came out.</summary>
/// <param name="Index">The video's place in the corpus.</param>
/// <param name="Seconds">Length of the video.</param>
/// <param name="Hits">Per field of <see cref="BenchReport.FieldNames"/>: read right.</param>
/// <param name="Probe">The job's probe (stream analysis and decode check).</param>
/// <param name="Ocr">Overlay reading.</param>
/// <param name="OcrGrabWall">Wall seconds of the overlay reader's frame grabs (ffmpeg; the rest is Tesseract and parsing).</param>
/// <param name="Mask">Masking: encode, output probe, hash and self-check.</param>
/// <param name="EncodeWall">Wall seconds of the encode run alone (from the runner's log).</param>
/// <param name="SelfCheckWall">Wall seconds of the self-check's frame grabs and Tesseract runs.</param>
/// <param name="FramesRead">Frames the overlay reader read.</param>
/// <param name="Ssim">Mean and lowest per-frame SSIM of the endoscope region; null when masking failed.</param>
/// <param name="Failure">Why masking failed, or null.</param>
/// <param name="OutputBytes">Size of the masked video (0 when masking failed).</param>
internal sealed record VideoResult(
    int Index,
    double Seconds,
    bool[] Hits,
    StageTime Probe,
    StageTime Ocr,
    double OcrGrabWall,
    StageTime Mask,
    double EncodeWall,
    double SelfCheckWall,
    int FramesRead,
    (double Mean, double Min)? Ssim,
    string? Failure,
    long OutputBytes)
{
    public StageTime Total => Probe + Ocr + Mask;
}
