using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// <see cref="IVideoProbe"/> with FFMpegCore over Debian's <c>ffprobe</c>, each call bounded by
/// <see cref="WorkerSettings.ToolTimeout"/> (the process is killed when it runs over). The first video
/// stream is measured; fps comes from <c>r_frame_rate</c>, falling back to <c>avg_frame_rate</c>.
/// </summary>
internal sealed class FfprobeVideoProbe(WorkerSettings settings) : IVideoProbe
{
    public async Task<VideoMediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var options = new FFOptions { BinaryFolder = settings.FfmpegDirectory ?? "" };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ToolTimeout);
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, options, customArguments: null, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed,
                string.Create(CultureInfo.InvariantCulture, $"ffprobe did not finish within {settings.ToolTimeout.TotalSeconds:0.#} s"), retryable: true);
        }
        catch (FFProbeProcessException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed,
                "the file is not a readable video: " + ToolMessage(ex.StandardError), retryable: false, ex);
        }
        catch (Exception ex) when (ex is FFMpegException or FormatException or System.Text.Json.JsonException)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed,
                "ffprobe output could not be read (" + ex.GetType().Name + ")", retryable: false, ex);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed, "ffprobe could not be started", retryable: true, ex);
        }

        return Describe(analysis);
    }

    /// <summary>Turns an analysis into the stored facts; no video stream or no frame size is an integrity failure.</summary>
    internal static VideoMediaInfo Describe(IMediaAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var video = analysis.PrimaryVideoStream ?? throw new ProcessingFailedException(
            UploadJobErrorCode.MediaIntegrityFailed,
            analysis.AudioStreams.Count > 0 ? "the file has no video stream (audio only)" : "the file has no video stream",
            retryable: false);
        if (video.Width is not > 0 || video.Height is not > 0)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "the video stream has no frame size", retryable: false);
        }

        var fps = video.RealFrameRate > 0 && double.IsFinite(video.RealFrameRate) ? video.RealFrameRate : video.AverageFrameRate;
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "the video stream has no frame rate", retryable: false);
        }

        var duration = video.Duration > TimeSpan.Zero ? video.Duration : analysis.Duration;
        if (duration <= TimeSpan.Zero)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "the video has no duration", retryable: false);
        }

        var bitRate = video.BitRate > 0 ? video.BitRate : analysis.Format.BitRate > 0 ? analysis.Format.BitRate : null;
        return new VideoMediaInfo(
            video.Width.Value,
            video.Height.Value,
            Math.Round(duration.TotalSeconds, 3),
            Math.Round(fps, 3),
            RecordedFrameCount(analysis, video.Index) ?? (long)Math.Round(duration.TotalSeconds * fps),
            string.IsNullOrEmpty(video.CodecName) ? "unknown" : video.CodecName,
            string.IsNullOrEmpty(video.PixelFormat) ? null : video.PixelFormat,
            bitRate);
    }

    // nb_frames, where the container records it (MP4 does; Matroska does not).
    private static long? RecordedFrameCount(IMediaAnalysis analysis, int streamIndex)
    {
        var raw = analysis.Raw?.Streams?.FirstOrDefault(s => s.Index == streamIndex);
        return raw?.ExtensionData is { } extra && extra.TryGetValue("nb_frames", out var value)
            && long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var frames) && frames > 0
            ? frames
            : null;
    }

    // ffprobe's own first error line (e.g. "moov atom not found"); the file name it quotes is cut off.
    private static string ToolMessage(IReadOnlyList<string>? errors)
    {
        var line = (errors ?? []).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (string.IsNullOrEmpty(line))
        {
            return "ffprobe failed";
        }

        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        var text = colon >= 0 ? line[(colon + 2)..] : line;
        return text.Length > 200 ? text[..200] : text;
    }
}
