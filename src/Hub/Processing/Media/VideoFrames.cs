using FFMpegCore;
using FFMpegCore.Enums;
using LxAnnotate.Hub.Processing.Imaging;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// Probing (FFMpegCore's analysis of ffprobe's output) and grayscale frame grabs (ffmpeg arguments built by
/// FFMpegCore), both run by <see cref="ToolRunner"/> so they stay bounded in time, CPU and memory.
/// </summary>
internal sealed class VideoFrames(ToolRunner tools, MediaToolPaths? paths = null)
{
    private readonly MediaToolPaths paths = paths ?? MediaToolPaths.FromPath;

    /// <summary>Frames the overlay reader reads per batch (one ffmpeg process, one Tesseract process) before it considers stopping.</summary>
    public const int FramesPerCall = 4;

    /// <summary>Most seek points (inputs) of one ffmpeg process: the masking self-check's six frames take one process.</summary>
    public const int InputsPerCall = 6;

    /// <summary>Reads frame size, duration and audio presence of <paramref name="path"/>.</summary>
    /// <exception cref="MediaIntegrityException">No video stream, or ffprobe cannot read the file.</exception>
    public async Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        IMediaAnalysis analysis;
        try
        {
            var result = await tools.RunAsync(paths.Ffprobe, FfprobeAnalysis.Arguments(path), ToolLimits.Short, cancellationToken).ConfigureAwait(false);
            analysis = FfprobeAnalysis.Parse(result.Stdout);
        }
        catch (ExternalToolException e) when (e.Failure is ExternalToolFailure.NonZeroExit or ExternalToolFailure.Crashed)
        {
            throw new MediaIntegrityException("ffprobe cannot read the video (corrupt or not a media file)", e);
        }
        catch (InvalidDataException e)
        {
            throw new MediaIntegrityException("ffprobe cannot read the video (corrupt or not a media file)", e);
        }
        var video = FfprobeAnalysis.MainVideo(analysis);
        if (video?.Width is not > 0 || video.Height is not > 0)
        {
            throw new MediaIntegrityException("the file has no video stream");
        }
        var duration = analysis.Format.Duration > TimeSpan.Zero ? analysis.Format.Duration : TimeSpan.Zero;
        var fps = double.IsFinite(video.RealFrameRate) && video.RealFrameRate > 0 ? video.RealFrameRate
            : double.IsFinite(video.AverageFrameRate) && video.AverageFrameRate > 0 ? video.AverageFrameRate : 0;
        return new VideoInfo(video.Width.Value, video.Height.Value, duration, analysis.AudioStreams.Count > 0, fps);
    }

    /// <summary>
    /// <paramref name="count"/> evenly spread sample times over <paramref name="duration"/>, the first at 0 (the
    /// starts of <paramref name="count"/> equal slices). Time 0 is always asked for because a seek past the last
    /// frame yields nothing: a one-frame video has a frame at 0 only.
    /// </summary>
    public static IReadOnlyList<TimeSpan> SampleTimes(TimeSpan duration, int count)
    {
        if (duration <= TimeSpan.Zero || count <= 1)
        {
            return [TimeSpan.Zero];
        }
        return Enumerable.Range(0, count).Select(i => duration * ((double)i / count)).ToList();
    }

    /// <summary>
    /// Grabs the frame at each of <paramref name="times"/> as an 8-bit grayscale image, through PGM files in
    /// <paramref name="workDirectory"/> (deleted again). A time past the last frame yields null.
    /// </summary>
    public async Task<IReadOnlyList<GrayImage?>> GrabGrayAsync(string path, IReadOnlyList<TimeSpan> times, string workDirectory, CancellationToken cancellationToken)
    {
        var images = new GrayImage?[times.Count];
        for (var start = 0; start < times.Count; start += InputsPerCall)
        {
            var batch = times.Skip(start).Take(InputsPerCall).ToList();
            var outputs = batch.Select(_ => Path.Combine(workDirectory, "frame-" + Guid.NewGuid().ToString("N") + ".pgm")).ToList();
            try
            {
                await tools.RunCommandLineAsync(paths.Ffmpeg, GrabArguments(path, batch, outputs), ToolLimits.Short, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
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

    /// <summary>
    /// One input per time (input seeking, so each decodes only from the nearest keyframe) and one single-frame
    /// grayscale PGM output per input. FFMpegCore has no builder for the pixel format or the image muxer options
    /// without asking ffmpeg for its format lists, so those three are custom arguments.
    /// </summary>
    internal static string GrabArguments(string path, IReadOnlyList<TimeSpan> times, IReadOnlyList<string> outputs)
    {
        var input = QuotablePath(path);
        var arguments = FFMpegArguments.FromFileInput(input, verifyExists: false, o => o.WithCustomArgument("-nostdin -v error").WithStartTime(times[0]));
        for (var i = 1; i < times.Count; i++)
        {
            var time = times[i];
            arguments = arguments.AddFileInput(input, verifyExists: false, o => o.WithStartTime(time));
        }
        return arguments.OutputToMany(many =>
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                var stream = i;
                many.OutputToFile(QuotablePath(outputs[i]), overwrite: false, o => o
                    .WithMap(stream, StreamType.Video, 0)
                    .WithFrameCount(1)
                    .WithCustomArgument("-pix_fmt gray -f image2 -update 1"));
            }
        }).Arguments;
    }

    /// <summary>
    /// The full path, for FFMpegCore's command-line text: it wraps paths in double quotes without escaping, so a
    /// path holding one (or ending in a backslash, which escapes the closing quote) would split. The hub's own storage and temp paths never do; anything else is refused.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> contains a double quote or ends in a backslash.</exception>
    internal static string QuotablePath(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Contains('"', StringComparison.Ordinal) || full.EndsWith('\\')
            ? throw new ArgumentException("a media path must not contain a double quote or end in a backslash", nameof(path))
            : full;
    }
}
