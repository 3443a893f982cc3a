using System.Globalization;
using System.Text;

namespace LxAnnotate.TestSupport.Media;

/// <summary>
/// Generated media fixtures (never real patient data): ffmpeg <c>lavfi</c> videos with a black overlay
/// panel, a moving test picture in the endoscope region and <c>drawtext</c> lines, and text images for
/// scanned-report fixtures.
/// </summary>
public static class SyntheticMedia
{
    /// <summary>The font every fixture uses.</summary>
    public const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>
    /// Writes an H.264 MP4 of <paramref name="seconds"/> at <paramref name="fps"/>: black
    /// <paramref name="width"/>×<paramref name="height"/> frame, <c>testsrc2</c> inside <paramref name="scene"/>,
    /// the <paramref name="texts"/> in white, and (when <paramref name="audio"/>) a sine tone as AAC.
    /// </summary>
    public static async Task CreateOverlayVideoAsync(string path, IReadOnlyList<OverlayText> texts, (int X, int Y, int Width, int Height) scene,
        int width = 1920, int height = 1080, double seconds = 2, int fps = 5, bool audio = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var filter = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"[0:v][1:v]overlay=x={scene.X}:y={scene.Y}:shortest=1"));
        var textFiles = new List<string>();
        filter.Append(DrawTexts(texts, directory, "white", textFiles));
        filter.Append("[v]");
        var d = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"color=c=black:s={width}x{height}:r={fps}:d={d}"),
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=s={scene.Width}x{scene.Height}:r={fps}:d={d}"),
        };
        if (audio)
        {
            arguments.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:duration={d}"]);
        }
        arguments.AddRange(["-filter_complex", filter.ToString(), "-map", "[v]"]);
        if (audio)
        {
            arguments.AddRange(["-map", "2:a", "-c:a", "aac", "-b:a", "64k"]);
        }
        arguments.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p", path]);
        try
        {
            await RunFfmpegAsync(arguments);
        }
        finally
        {
            textFiles.ForEach(File.Delete);
        }
    }

    /// <summary>Writes a PNG of black <paramref name="texts"/> on white, <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static async Task CreateTextImageAsync(string pngPath, IReadOnlyList<OverlayText> texts, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var directory = Path.GetDirectoryName(Path.GetFullPath(pngPath))!;
        var textFiles = new List<string>();
        var filter = "null" + DrawTexts(texts, directory, "black", textFiles);
        try
        {
            await RunFfmpegAsync(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                string.Create(CultureInfo.InvariantCulture, $"color=c=white:s={width}x{height}:d=1"),
                "-vf", filter, "-frames:v", "1", "-pix_fmt", "gray", pngPath]);
        }
        finally
        {
            textFiles.ForEach(File.Delete);
        }
    }

    private static string DrawTexts(IReadOnlyList<OverlayText> texts, string directory, string color, List<string> textFiles)
    {
        var filter = new StringBuilder();
        foreach (var text in texts)
        {
            // Text goes through a file so no character needs filter escaping.
            var textFile = Path.Combine(directory, "drawtext-" + Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllText(textFile, text.Text, new UTF8Encoding(false));
            textFiles.Add(textFile);
            filter.Append(CultureInfo.InvariantCulture,
                $",drawtext=fontfile={FontFile}:textfile={textFile}:fontcolor={color}:fontsize={text.FontSize}:x={text.X}:y={text.Y}");
        }
        return filter.ToString();
    }

    private static async Task RunFfmpegAsync(IReadOnlyList<string> arguments)
    {
        var result = await ProcessRunner.RunAsync("ffmpeg", arguments, new Dictionary<string, string?>(), TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({result.ExitCode}): {result.StandardError}");
        }
    }
}
