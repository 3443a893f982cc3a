using System.Text;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// ffprobe's stream analysis read by FFMpegCore (<see cref="FFProbe.FromJson"/> → <see cref="IMediaAnalysis"/>), with
/// ffprobe itself run by our bounded <see cref="Tools.ToolRunner"/> instead of FFMpegCore's own process runner
/// (see <see cref="Tools.ToolRunner.RunCommandLineAsync"/> for why). FFMpegCore keeps the ffprobe argument text of
/// <c>FFProbe.AnalyseAsync</c> private, so <see cref="Arguments"/> repeats it: the JSON is then exactly what
/// <see cref="FFProbe.FromJson"/> is written for (durations in <c>-sexagesimal</c> form).
/// </summary>
internal static class FfprobeAnalysis
{
    /// <summary>The arguments <c>FFProbe.AnalyseAsync</c> passes to ffprobe, for <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Arguments(string path) =>
        ["-loglevel", "error", "-print_format", "json", "-show_format", "-sexagesimal", "-show_streams", Path.GetFullPath(path)];

    /// <summary>ffprobe's JSON as FFMpegCore's analysis.</summary>
    /// <exception cref="InvalidDataException">The output is not an ffprobe analysis (not JSON, no format section, unreadable values).</exception>
    public static IMediaAnalysis Parse(ReadOnlySpan<byte> ffprobeJson)
    {
        try
        {
            return FFProbe.FromJson(Encoding.UTF8.GetString(ffprobeJson));
        }
        catch (Exception ex) when (ex is JsonException or FFMpegException or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException("ffprobe output could not be read", ex);
        }
    }

    /// <summary>The first video stream that is not a cover picture (an audio file's "video" stream of one image), or null.</summary>
    public static VideoStream? MainVideo(IMediaAnalysis analysis) =>
        analysis.VideoStreams.FirstOrDefault(s => !(s.Disposition?.TryGetValue("attached_pic", out var cover) == true && cover));

    /// <summary>The stream's <c>nb_frames</c> (FFMpegCore keeps it among the fields it does not map), or null.</summary>
    public static long? DeclaredFrames(IMediaAnalysis analysis, MediaStream stream)
    {
        var raw = analysis.Raw?.Streams?.FirstOrDefault(s => s.Index == stream.Index);
        if (raw?.ExtensionData is null || !raw.ExtensionData.TryGetValue("nb_frames", out var value))
        {
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var frames) ? frames : null;
    }
}
