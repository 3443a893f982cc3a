using System.Globalization;
using System.Text;
using System.Text.Json;
using LxAnnotate.Hub.Processing.Imaging;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>Minimal ffprobe reading and grayscale frame grabs through ffmpeg, both bounded by <see cref="ToolRunner"/>.</summary>
internal sealed class VideoFrames(ToolRunner tools, MediaToolPaths? paths = null)
{
    private readonly MediaToolPaths paths = paths ?? MediaToolPaths.FromPath;

    /// <summary>Frames grabbed per ffmpeg process (one input per seek point).</summary>
    public const int FramesPerCall = 4;

    /// <summary>Reads frame size, duration and audio presence of <paramref name="path"/>.</summary>
    /// <exception cref="MediaIntegrityException">No video stream, or ffprobe cannot read the file.</exception>
    public async Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        ToolResult result;
        try
        {
            result = await tools.RunAsync(paths.Ffprobe,
                ["-v", "error", "-show_entries", "stream=codec_type,width,height:format=duration", "-of", "json", path],
                ToolLimits.Short, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException e) when (e.Failure is ExternalToolFailure.NonZeroExit or ExternalToolFailure.Crashed)
        {
            throw new MediaIntegrityException("ffprobe cannot read the video (corrupt or not a media file)", e);
        }
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(result.Stdout));
        int? width = null, height = null;
        var hasAudio = false;
        if (json.RootElement.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                if (type == "video" && width is null && stream.TryGetProperty("width", out var w) && stream.TryGetProperty("height", out var h))
                {
                    width = w.GetInt32();
                    height = h.GetInt32();
                }
                hasAudio |= type == "audio";
            }
        }
        if (width is not > 0 || height is not > 0)
        {
            throw new MediaIntegrityException("the file has no video stream");
        }
        var duration = TimeSpan.Zero;
        if (json.RootElement.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            duration = TimeSpan.FromSeconds(seconds);
        }
        return new VideoInfo(width.Value, height.Value, duration, hasAudio);
    }

    /// <summary>
    /// <paramref name="count"/> evenly spread sample times over <paramref name="duration"/>: the middles of
    /// <paramref name="count"/> equal slices (a zero duration gives one sample at 0).
    /// </summary>
    public static IReadOnlyList<TimeSpan> SampleTimes(TimeSpan duration, int count)
    {
        if (duration <= TimeSpan.Zero || count <= 1)
        {
            return [duration <= TimeSpan.Zero ? TimeSpan.Zero : duration / 2];
        }
        return Enumerable.Range(0, count).Select(i => duration * ((i + 0.5) / count)).ToList();
    }

    /// <summary>
    /// Grabs the frame at each of <paramref name="times"/> as an 8-bit grayscale image, through PGM files in
    /// <paramref name="workDirectory"/> (deleted again). A time past the last frame yields null.
    /// </summary>
    public async Task<IReadOnlyList<GrayImage?>> GrabGrayAsync(string path, IReadOnlyList<TimeSpan> times, string workDirectory, CancellationToken cancellationToken)
    {
        var images = new GrayImage?[times.Count];
        for (var start = 0; start < times.Count; start += FramesPerCall)
        {
            var batch = Math.Min(FramesPerCall, times.Count - start);
            var arguments = new List<string> { "-nostdin", "-v", "error", "-y" };
            for (var i = 0; i < batch; i++)
            {
                arguments.AddRange(["-ss", Seconds(times[start + i]), "-i", path]);
            }
            var outputs = new string[batch];
            for (var i = 0; i < batch; i++)
            {
                outputs[i] = Path.Combine(workDirectory, "frame-" + Guid.NewGuid().ToString("N") + ".pgm");
                arguments.AddRange(["-map", string.Create(CultureInfo.InvariantCulture, $"{i}:v:0"), "-frames:v", "1", "-pix_fmt", "gray", "-f", "image2", "-update", "1", outputs[i]]);
            }
            try
            {
                await tools.RunAsync(paths.Ffmpeg, arguments, ToolLimits.Short, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch; i++)
                {
                    if (File.Exists(outputs[i]) && new FileInfo(outputs[i]).Length > 0)
                    {
                        images[start + i] = await GrayImage.ReadPgmAsync(outputs[i], cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (ExternalToolException e) when (e.Failure is ExternalToolFailure.NonZeroExit or ExternalToolFailure.Crashed)
            {
                throw new MediaIntegrityException("ffmpeg cannot decode frames of the video", e);
            }
            finally
            {
                foreach (var output in outputs)
                {
                    File.Delete(output);
                }
            }
        }
        return images;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
