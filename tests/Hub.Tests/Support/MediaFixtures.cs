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

    /// <summary>
    /// A one-frame 1080p H.264 MP4, cut as a user would cut it (<c>ffmpeg -ss 2 -i clip -frames:v 1</c>).
    /// </summary>
    public static async Task<string> OneFrameAsync(string directory, string name)
    {
        var source = await VideoAsync(directory, "three-seconds-" + name, width: 1920, height: 1080, fps: 25, seconds: 3);
        var path = Path.Combine(directory, name);
        await RunFfmpegAsync(["-hide_banner", "-loglevel", "error", "-y", "-ss", "2", "-i", source, "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", path]);
        return path;
    }

    /// <summary>
    /// The first half of an MP4 whose index (moov) was moved to the front (<c>+faststart</c>): it still probes with
    /// the full declared duration, but the second half of its frames is gone.
    /// </summary>
    public static async Task<string> FrontIndexTruncatedAsync(string directory, string name, double seconds = 10)
    {
        var path = Path.Combine(directory, name);
        var whole = Path.Combine(directory, "whole-" + name);
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        await RunFfmpegAsync(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=640x360:rate=25:duration={duration}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", whole]);
        var bytes = await File.ReadAllBytesAsync(whole);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    /// <summary>
    /// An MP4 whose index is intact (it probes as a 2 s H.264 video) but whose frame data is zeroed: no frame decodes.
    /// </summary>
    public static async Task<string> NoDecodableFrameAsync(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        var whole = Path.Combine(directory, "whole-" + name);
        await RunFfmpegAsync(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", whole]);
        var bytes = await File.ReadAllBytesAsync(whole);
        var mdat = bytes.AsSpan().IndexOf("mdat"u8);
        Assert.True(mdat > 0, "no mdat box in the generated file");
        bytes.AsSpan(mdat + 4).Clear();
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static async Task RunFfmpegAsync(IEnumerable<string> args)
    {
        var result = await ProcessRunner.RunAsync("ffmpeg", args, new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, "ffmpeg failed: " + result.StandardError);
    }
}
