using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FFMpegCore;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// Checks, before any OCR or encode, that a probed video holds what its index declares: a frame near its start
/// decodes (a file of which no frame can be read is not an empty video), and its frame data reaches the declared
/// end (a cut-off MP4 whose index is at the front still declares its full length). Both are single ffprobe runs
/// that read only part of the file (<c>-read_intervals</c>): the first decodes only the keyframes
/// (<c>-skip_frame nokey</c>) among the first <see cref="FirstFramePackets"/> packets, because a recording cut
/// mid-GOP (an MPEG-TS capture) starts with packets that cannot decode on their own; the second demuxes, without
/// decoding, from <see cref="TailWindow"/> before the declared end. On a 60 s 1080p H.264 file the pair costs
/// about 0.2 s of CPU (0.12 s + 0.07 s, most of it ffprobe's own start); counting every packet (<c>-count_packets</c>, 0.07 s from the page cache) reads the whole file, so its
/// cost grows with the file, and a seek-and-decode near the end (0.13 s) decodes up to a whole GOP. ffprobe's JSON
/// is read into FFMpegCore's frame and packet models.
/// </summary>
internal sealed class VideoDecodeCheck(ToolRunner tools)
{
    /// <summary>Packets read from the start for a keyframe: 24 s at 25 fps, longer than x264's default GOP of 250 frames.</summary>
    public const int FirstFramePackets = 600;

    /// <summary>How far before the declared end the packet scan starts.</summary>
    public static readonly TimeSpan TailWindow = TimeSpan.FromSeconds(3);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>
    /// Throws when no frame of the first video stream of <paramref name="path"/> decodes, or when its packets end
    /// more than the tolerance (1 s, or 2 % of a longer video) before <paramref name="start"/> + <paramref name="duration"/>.
    /// </summary>
    /// <exception cref="MediaIntegrityException">No decodable frame, or the video is truncated.</exception>
    /// <exception cref="ExternalToolException">ffprobe failed (timeout, limits, crash, non-zero exit).</exception>
    public async Task CheckAsync(string ffprobe, string path, TimeSpan start, TimeSpan duration, ToolLimits limits, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var head = await tools.RunAsync(ffprobe,
            ["-loglevel", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
             "-read_intervals", string.Create(CultureInfo.InvariantCulture, $"%+#{FirstFramePackets}"),
             "-show_entries", "frame=pts_time", "-print_format", "json", fullPath],
            limits, cancellationToken).ConfigureAwait(false);
        if (Read<FFProbeFrames>(head.Stdout)?.Frames is not { Count: > 0 })
        {
            throw new MediaIntegrityException("no frame of the video can be decoded");
        }

        var declaredEnd = start + duration;
        var scanFrom = declaredEnd - TailWindow > TimeSpan.Zero ? declaredEnd - TailWindow : TimeSpan.Zero;
        var tail = await tools.RunAsync(ffprobe,
            ["-loglevel", "error", "-select_streams", "v:0", "-read_intervals", Seconds(scanFrom) + "%",
             "-show_entries", "packet=pts_time,duration_time", "-print_format", "json", fullPath],
            limits, cancellationToken).ConfigureAwait(false);
        var end = DataEnd(Read<FFProbePackets>(tail.Stdout));
        var tolerance = TimeSpan.FromSeconds(Math.Max(1.0, duration.TotalSeconds * 0.02));
        if (end is null || end < declaredEnd - tolerance)
        {
            throw new MediaIntegrityException(end is { } seconds
                ? string.Create(CultureInfo.InvariantCulture,
                    $"the video is truncated: its frames end at {seconds.TotalSeconds:0.0} s, its index declares {duration.TotalSeconds:0.0} s")
                : string.Create(CultureInfo.InvariantCulture,
                    $"the video is truncated: no frame data in its last {TailWindow.TotalSeconds:0} s, its index declares {duration.TotalSeconds:0.0} s"));
        }
    }

    /// <summary>The latest packet end (presentation time plus duration) of the scan, or null when no packet was read.</summary>
    private static TimeSpan? DataEnd(FFProbePackets? packets)
    {
        TimeSpan? end = null;
        foreach (var packet in packets?.Packets ?? [])
        {
            if (Number(packet.PtsTime) is not { } pts)
            {
                continue;
            }
            var packetEnd = TimeSpan.FromSeconds(pts + (Number(packet.DurationTime) ?? 0));
            end = end is null || packetEnd > end ? packetEnd : end;
        }
        return end;
    }

    private static T? Read<T>(byte[] json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new MediaIntegrityException("ffprobe output could not be read", ex);
        }
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
