using System.Globalization;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>Test media made by Debian's ffmpeg from <c>lavfi</c> sources: no real recording is ever used.</summary>
internal static class MediaFixtures
{
    /// <summary>A short H.264 clip (test pattern, optional sine audio) of the given size and frame rate.</summary>
    public static async Task<string> VideoAsync(string directory, string name, int width = 320, int height = 180, int fps = 25, double seconds = 1, bool audio = false)
    {
        var path = Path.Combine(directory, name);
        var size = string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        List<string> args = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={fps}:duration={duration}"];
        if (audio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:duration={duration}", "-c:a", "aac"]);
        }

        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", path]);
        await RunFfmpegAsync(args);
        return path;
    }

    /// <summary>An audio-only M4A file (no video stream).</summary>
    public static async Task<string> AudioOnlyAsync(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        await RunFfmpegAsync(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path]);
        return path;
    }

    /// <summary>The first half of a valid MP4: the index (moov, written last) is missing.</summary>
    public static async Task<string> TruncatedAsync(string directory, string name)
    {
        var whole = await VideoAsync(directory, "whole-" + name);
        var bytes = await File.ReadAllBytesAsync(whole);
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    private static async Task RunFfmpegAsync(IEnumerable<string> args)
    {
        var result = await ProcessRunner.RunAsync("ffmpeg", args, new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, "ffmpeg failed: " + result.StandardError);
    }
}
