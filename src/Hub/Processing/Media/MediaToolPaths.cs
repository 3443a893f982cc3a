namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// How <c>ffmpeg</c> and <c>ffprobe</c> are started: from the folder named by <c>LX_ANNOTATE_FFMPEG_DIR</c>, or
/// by name from <c>PATH</c>. Every media stage (probe, frame grabs, masked encode) uses the same pair.
/// </summary>
/// <param name="Ffmpeg">Absolute path, or a name looked up on <c>PATH</c>.</param>
/// <param name="Ffprobe">Absolute path, or a name looked up on <c>PATH</c>.</param>
internal sealed record MediaToolPaths(string Ffmpeg, string Ffprobe)
{
    /// <summary>Both tools by name from <c>PATH</c>.</summary>
    public static MediaToolPaths FromPath { get; } = new("ffmpeg", "ffprobe");

    /// <summary>Both tools from <paramref name="directory"/>, or <see cref="FromPath"/> when it is null.</summary>
    public static MediaToolPaths In(string? directory) =>
        directory is null ? FromPath : new(Path.Combine(directory, "ffmpeg"), Path.Combine(directory, "ffprobe"));
}
