using System.Globalization;
using System.Text.Json;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Hub.Processing.Worker;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// <see cref="IVideoProbe"/> over Debian's <c>ffprobe</c> (<c>-show_format -show_streams</c> as JSON), run
/// through <see cref="ToolRunner"/> so each call is bounded like every other tool: wall clock
/// <see cref="WorkerSettings.ToolTimeout"/> (the process tree is killed when it runs over), CPU seconds of the
/// same amount and a 2 GiB address space (<c>prlimit</c>). The first video stream is measured; fps comes from
/// <c>r_frame_rate</c>, falling back to <c>avg_frame_rate</c>.
/// </summary>
internal sealed class FfprobeVideoProbe(WorkerSettings settings, ToolRunner tools) : IVideoProbe
{
    private const long MaxAddressSpaceBytes = 2L * 1024 * 1024 * 1024;
    private const int MaxOutputBytes = 4 * 1024 * 1024;
    private readonly string ffprobe = MediaToolPaths.In(settings.FfmpegDirectory).Ffprobe;

    public async Task<VideoMediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var limits = new ToolLimits(settings.ToolTimeout, MaxAddressSpaceBytes,
            (int)Math.Ceiling(settings.ToolTimeout.TotalSeconds), MaxOutputBytes);
        ToolResult result;
        try
        {
            result = await tools.RunAsync(ffprobe,
                ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", Path.GetFullPath(path)],
                limits, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException ex) when (ex.Failure == ExternalToolFailure.TimedOut)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed,
                string.Create(CultureInfo.InvariantCulture, $"ffprobe did not finish within {settings.ToolTimeout.TotalSeconds:0.#} s"), retryable: true, ex);
        }
        catch (ExternalToolException ex) when (ex.Failure == ExternalToolFailure.NonZeroExit)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed,
                "the file is not a readable video: " + ToolMessage(ex.StderrTail), retryable: false, ex);
        }
        catch (ExternalToolException ex) when (ex.Failure is ExternalToolFailure.Crashed or ExternalToolFailure.OutputTooLarge)
        {
            // A crash can be the file (a decoder bug) or the machine (memory limit); another attempt tells which.
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed, "ffprobe " + ex.Message, retryable: true, ex);
        }
        catch (ExternalToolException ex) when (ex.Failure == ExternalToolFailure.NotFound)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed, "ffprobe could not be started: " + ex.Message, retryable: true, ex);
        }

        return Describe(result.Stdout);
    }

    /// <summary>Turns ffprobe's JSON into the stored facts; no video stream or no frame size is an integrity failure.</summary>
    internal static VideoMediaInfo Describe(ReadOnlySpan<byte> ffprobeJson)
    {
        using var document = ParseJson(ffprobeJson);
        var root = document.RootElement;
        var streams = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().ToList()
            : [];
        var format = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Object
            ? f
            : default;

        var video = VideoStream(streams);
        var (width, height) = FrameSize(video);
        var rate = FrameRate(video);
        var duration = Duration(video, format);
        long? bitRate = WholeNumber(Text(video, "bit_rate")) is > 0 and var streamBits
            ? streamBits
            : format.ValueKind == JsonValueKind.Object && WholeNumber(Text(format, "bit_rate")) is > 0 and var formatBits ? formatBits : null;
        var frames = WholeNumber(Text(video, "nb_frames")) is > 0 and var counted
            ? counted
            : (long)Math.Round(duration * rate);
        return new VideoMediaInfo(
            width,
            height,
            Math.Round(duration, 3),
            Math.Round(rate, 3),
            frames,
            Text(video, "codec_name") is { Length: > 0 } codec ? codec : "unknown",
            Text(video, "pix_fmt") is { Length: > 0 } pixelFormat ? pixelFormat : null,
            bitRate);
    }

    private static JsonDocument ParseJson(ReadOnlySpan<byte> ffprobeJson)
    {
        try
        {
            var reader = new Utf8JsonReader(ffprobeJson);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "ffprobe output could not be read (not JSON)", retryable: false, ex);
        }
    }

    /// <summary>The first video stream that is not a cover picture.</summary>
    private static JsonElement VideoStream(List<JsonElement> streams)
    {
        var video = streams.FirstOrDefault(x => Text(x, "codec_type") == "video" && !IsAttachedPicture(x));
        if (video.ValueKind != JsonValueKind.Object)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed,
                streams.Exists(x => Text(x, "codec_type") == "audio") ? "the file has no video stream (audio only)" : "the file has no video stream",
                retryable: false);
        }

        return video;
    }

    private static (int Width, int Height) FrameSize(JsonElement video)
    {
        var width = Integer(video, "width");
        var height = Integer(video, "height");
        if (width is not > 0 || height is not > 0)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "the video stream has no frame size", retryable: false);
        }

        return ((int)width.Value, (int)height.Value);
    }

    private static double FrameRate(JsonElement video) =>
        Rate(Text(video, "r_frame_rate")) ?? Rate(Text(video, "avg_frame_rate"))
        ?? throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "the video stream has no frame rate", retryable: false);

    /// <summary>The stream's duration, else the container's.</summary>
    private static double Duration(JsonElement video, JsonElement format)
    {
        var duration = Number(Text(video, "duration")) is > 0 and var streamSeconds
            ? streamSeconds
            : format.ValueKind == JsonValueKind.Object ? Number(Text(format, "duration")) : null;
        if (duration is not > 0)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "the video has no duration", retryable: false);
        }

        return duration.Value;
    }

    // A cover image in an audio file is a "video" stream of one picture; it is not a video.
    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && disposition.ValueKind == JsonValueKind.Object
        && disposition.TryGetProperty("attached_pic", out var flag) && flag.ValueKind == JsonValueKind.Number && flag.GetInt32() == 1;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static long? Integer(JsonElement element, string name) => WholeNumber(Text(element, name));

    private static long? WholeNumber(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    // "30000/1001", "25/1"; "0/0" (unknown) and anything unparsable give null.
    private static double? Rate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var rate = slash < 0
            ? Number(text)
            : Number(text[..slash]) is { } numerator && Number(text[(slash + 1)..]) is > 0 and var denominator ? numerator / denominator : null;
        return rate is > 0 && double.IsFinite(rate.Value) ? rate : null;
    }

    // ffprobe's own first error line (e.g. "moov atom not found"); the file name it quotes is cut off.
    private static string ToolMessage(string? errors)
    {
        var line = (errors ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (string.IsNullOrEmpty(line))
        {
            return "ffprobe failed";
        }

        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        var text = colon >= 0 ? line[(colon + 2)..] : line;
        return text.Length > 200 ? text[..200] : text;
    }
}
