namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>How <see cref="OverlayReader"/> samples a video and when it keeps a field.</summary>
/// <param name="MaxFrames">At most this many frames, evenly spread over the video (default 24).</param>
/// <param name="AgreementVotes">Stop early once first name, last name, date of birth and examination date each have this many agreeing frames and would be kept (default 3).</param>
/// <param name="TempRoot">Parent of the private temporary directory; null for the system temp directory.</param>
/// <param name="MinConfidence">
/// A field is kept only when the mean Tesseract confidence (0…100) of the frames that read its value is at least this
/// (default <see cref="DefaultMinConfidence"/>).
/// </param>
/// <param name="MinAgreement">
/// A field is kept only when at least this share (0…1) of the sampled frames read the same value
/// (default <see cref="DefaultMinAgreement"/>).
/// </param>
internal sealed record OverlayReaderOptions(
    int MaxFrames = 24,
    int AgreementVotes = 3,
    string? TempRoot = null,
    double MinConfidence = OverlayReaderOptions.DefaultMinConfidence,
    double MinAgreement = OverlayReaderOptions.DefaultMinAgreement)
{
    /// <summary>
    /// Default <see cref="MinConfidence"/>: 70. Measured on generated 1080p clips (docs/operations.md, "Overlay
    /// reading"): values read right from overlay text had a mean confidence of 0.82…0.97 (a misread model 0.66), the names OCR made of
    /// pictures without an overlay (testsrc2, SMPTE bars, a cellular automaton) 0.20…0.39.
    /// </summary>
    public const double DefaultMinConfidence = 70;

    /// <summary>
    /// Default <see cref="MinAgreement"/>: 0.5, a majority of the sampled frames. Real overlay text agreed on every
    /// sampled frame (1.0; 0.75 is the least an early stop after four frames allows); noise agreed on 0.04…1.0 of
    /// them, so agreement alone cannot tell a static picture's noise from text; it drops values that flicker.
    /// </summary>
    public const double DefaultMinAgreement = 0.5;

    /// <summary>The defaults.</summary>
    public static OverlayReaderOptions Default { get; } = new();
}
