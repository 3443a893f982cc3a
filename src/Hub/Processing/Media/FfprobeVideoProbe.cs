using System.Globalization;
using FFMpegCore;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Hub.Processing.Worker;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// <see cref="IVideoProbe"/> over Debian's <c>ffprobe</c>: FFMpegCore's stream analysis (<see cref="FfprobeAnalysis"/>),
/// then <see cref="VideoDecodeCheck"/> (the first frame decodes, the frame data reaches the declared end), so a file
/// that cannot be anonymized fails here, before OCR and the encode. Every ffprobe run goes through
/// <see cref="ToolRunner"/> and is bounded like every other tool: wall clock <see cref="WorkerSettings.ToolTimeout"/>
/// (the process tree is killed when it runs over), CPU seconds of the same amount and a 2 GiB address space
/// (<c>prlimit</c>). The first video stream is measured; fps is the real frame rate, falling back to the average.
/// </summary>
internal sealed class FfprobeVideoProbe(WorkerSettings settings, ToolRunner tools) : IVideoProbe
{
    private const long MaxAddressSpaceBytes = 2L * 1024 * 1024 * 1024;
    private const int MaxOutputBytes = 4 * 1024 * 1024;
    private readonly string ffprobe = MediaToolPaths.In(settings.FfmpegDirectory).Ffprobe;
    private readonly VideoDecodeCheck decodeCheck = new(tools);

    public async Task<VideoMediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var limits = new ToolLimits(settings.ToolTimeout, MaxAddressSpaceBytes,
            (int)Math.Ceiling(settings.ToolTimeout.TotalSeconds), MaxOutputBytes);
        try
        {
            var result = await tools.RunAsync(ffprobe, FfprobeAnalysis.Arguments(path), limits, cancellationToken).ConfigureAwait(false);
            var analysis = Analyse(result.Stdout);
            var info = Describe(analysis);
            // Packet times count from the stream's start (MPEG-TS starts near 1.4 s), the declared duration does not.
            var start = FfprobeAnalysis.MainVideo(analysis)!.StartTime;
            await decodeCheck.CheckAsync(ffprobe, path, start, TimeSpan.FromSeconds(info.DurationSeconds), limits, cancellationToken)
                .ConfigureAwait(false);
            return info;
        }
        catch (MediaIntegrityException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, ex.Message, retryable: false, ex);
        }
        catch (ExternalToolException ex)
        {
            throw Failure(ex);
        }
    }

    /// <summary>Turns ffprobe's JSON into the stored facts; no video stream or no frame size is an integrity failure.</summary>
    internal static VideoMediaInfo Describe(ReadOnlySpan<byte> ffprobeJson) => Describe(Analyse(ffprobeJson));

    private static IMediaAnalysis Analyse(ReadOnlySpan<byte> ffprobeJson)
    {
        try
        {
            return FfprobeAnalysis.Parse(ffprobeJson);
        }
        catch (InvalidDataException ex)
        {
            throw Integrity("ffprobe output could not be read (not an analysis)", ex);
        }
    }

    private static VideoMediaInfo Describe(IMediaAnalysis analysis)
    {
        var video = FfprobeAnalysis.MainVideo(analysis)
            ?? throw Integrity(analysis.AudioStreams.Count > 0 ? "the file has no video stream (audio only)" : "the file has no video stream");
        if (video.Width is not > 0 || video.Height is not > 0)
        {
            throw Integrity("the video stream has no frame size");
        }
        var rate = Rate(video.RealFrameRate) ?? Rate(video.AverageFrameRate) ?? throw Integrity("the video stream has no frame rate");
        var duration = video.Duration > TimeSpan.Zero ? video.Duration : analysis.Format.Duration;
        if (duration <= TimeSpan.Zero)
        {
            throw Integrity("the video has no duration");
        }
        var seconds = duration.TotalSeconds;
        long? bitRate = video.BitRate is > 0 ? video.BitRate : analysis.Format.BitRate is > 0 ? analysis.Format.BitRate : null;
        var frames = FfprobeAnalysis.DeclaredFrames(analysis, video) is > 0 and var counted ? counted : (long)Math.Round(seconds * rate);
        return new VideoMediaInfo(
            video.Width.Value,
            video.Height.Value,
            Math.Round(seconds, 3),
            Math.Round(rate, 3),
            frames,
            string.IsNullOrEmpty(video.CodecName) ? "unknown" : video.CodecName,
            string.IsNullOrEmpty(video.PixelFormat) ? null : video.PixelFormat,
            bitRate);
    }

    private ProcessingFailedException Failure(ExternalToolException ex) => ex.Failure switch
    {
        ExternalToolFailure.TimedOut => new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed,
            string.Create(CultureInfo.InvariantCulture, $"ffprobe did not finish within {settings.ToolTimeout.TotalSeconds:0.#} s"), retryable: true, ex),
        ExternalToolFailure.NonZeroExit => new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed,
            "the file is not a readable video: " + ToolErrorText.FirstReason(ex.StderrTail, "ffprobe failed"), retryable: false, ex),
        // A crash can be the file (a decoder bug) or the machine (memory limit); another attempt tells which.
        ExternalToolFailure.Crashed or ExternalToolFailure.OutputTooLarge => new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed,
            "ffprobe " + ex.Message, retryable: true, ex),
        _ => new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed, "ffprobe could not be started: " + ex.Message, retryable: true, ex),
    };

    private static ProcessingFailedException Integrity(string message, Exception? inner = null) =>
        new(UploadJobErrorCode.MediaIntegrityFailed, message, retryable: false, inner);

    // FFMpegCore gives NaN or infinity for ffprobe's "0/0" (unknown).
    private static double? Rate(double rate) => double.IsFinite(rate) && rate > 0 ? rate : null;
}
