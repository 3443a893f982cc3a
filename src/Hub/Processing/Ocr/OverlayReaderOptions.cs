namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>How <see cref="OverlayReader"/> samples a video.</summary>
/// <param name="MaxFrames">At most this many frames, evenly spread over the video (default 24).</param>
/// <param name="AgreementVotes">Stop early once first name, last name, date of birth and examination date each have this many agreeing frames and a majority (default 3).</param>
/// <param name="TempRoot">Parent of the private temporary directory; null for the system temp directory.</param>
internal sealed record OverlayReaderOptions(int MaxFrames = 24, int AgreementVotes = 3, string? TempRoot = null)
{
    /// <summary>The defaults.</summary>
    public static OverlayReaderOptions Default { get; } = new();
}
