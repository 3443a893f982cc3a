using System.Globalization;
using System.Security.Cryptography;
using FFMpegCore;
using FFMpegCore.Enums;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// Produces the anonymized video: everything outside the layout's <c>endoscope_image</c> region painted
/// black (<c>drawbox</c>), H.264 (<c>libx264 -preset veryfast -crf 18 -pix_fmt yuv420p</c>), audio copied,
/// container metadata and chapters dropped, <c>+faststart</c>; the ffmpeg command line is built by FFMpegCore
/// (<see cref="EncodeArguments"/>) and run bounded by <see cref="ToolRunner"/>. The output is probed (same frame size, a
/// duration close to the input's), hashed, and then checked: OCR of the sensitive regions on frames of the
/// output must find none of the values read from the original (<see cref="MaskingSelfCheckFailedException"/>
/// otherwise), and at least one frame of the output must be readable for that. On any failure the output file is deleted.
/// </summary>
internal sealed class VideoMasker(VideoFrames frames, OverlayReader reader, ToolRunner tools, TimeProvider time, MediaToolPaths? paths = null)
{
    private readonly MediaToolPaths paths = paths ?? MediaToolPaths.FromPath;

    /// <summary>Frames of the output checked by the self-check.</summary>
    public const int SelfCheckFrames = 6;

    /// <summary>Masks <paramref name="inputPath"/> into <paramref name="outputPath"/> (an <c>.mp4</c>) and runs the self-check against <paramref name="reading"/>.</summary>
    /// <exception cref="MediaIntegrityException">The input cannot be read, or the output is missing, empty or of the wrong shape.</exception>
    /// <exception cref="MaskingSelfCheckFailedException">The output still shows an extracted value.</exception>
    /// <exception cref="ExternalToolException">ffmpeg or Tesseract failed in another way (timeout, limits).</exception>
    public async Task<MaskedVideo> MaskAsync(string inputPath, string outputPath, OverlayLayout layout, OverlayReading reading, string? tempRoot, CancellationToken cancellationToken)
    {
        var input = await frames.ProbeAsync(inputPath, cancellationToken).ConfigureAwait(false);
        try
        {
            await EncodeAsync(inputPath, outputPath, layout, input, cancellationToken).ConfigureAwait(false);
            var output = await VerifyOutputAsync(outputPath, input, cancellationToken).ConfigureAwait(false);
            await SelfCheckAsync(outputPath, layout, SensitiveOverlayValues.From(reading), output, tempRoot, cancellationToken).ConfigureAwait(false);
            var size = new FileInfo(outputPath).Length;
            return new MaskedVideo(outputPath, size, await Sha256Async(outputPath, cancellationToken).ConfigureAwait(false), output);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }
    }

    /// <summary>
    /// OCR of the sensitive regions on <see cref="SelfCheckFrames"/> frames of <paramref name="videoPath"/>; throws when one shows a value of <paramref name="values"/>.
    /// </summary>
    public async Task SelfCheckAsync(string videoPath, OverlayLayout layout, SensitiveOverlayValues values, VideoInfo info, string? tempRoot, CancellationToken cancellationToken)
    {
        using var temp = new PrivateTempDirectory(tempRoot);
        var images = await frames.GrabGrayAsync(videoPath, VideoFrames.SampleTimes(info.Duration, SelfCheckFrames), temp.Path, cancellationToken).ConfigureAwait(false);
        if (images.All(image => image is null))
        {
            // With no frame to read, the check below would find nothing and pass: that is not a check.
            throw new MediaIntegrityException("no frame of the masked video could be read for the self-check");
        }
        var texts = await reader.ReadFramesAsync(images, layout, temp, cancellationToken).ConfigureAwait(false);
        var pivotYear = time.GetUtcNow().Year;
        var leaked = texts
            .SelectMany(frame => frame.Values)
            .SelectMany(line => values.FieldsFoundIn(line.Text, pivotYear))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (leaked.Count > 0)
        {
            throw new MaskingSelfCheckFailedException("masked video still shows overlay values: " + string.Join(", ", leaked));
        }
    }

    private async Task EncodeAsync(string inputPath, string outputPath, OverlayLayout layout, VideoInfo input, CancellationToken cancellationToken)
    {
        var arguments = EncodeArguments(inputPath, outputPath, MaskFilter.Boxes(layout, input.Width, input.Height));
        try
        {
            await tools.RunCommandLineAsync(paths.Ffmpeg, arguments, ToolLimits.ForEncode(input.Duration), cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException e) when (e.Failure is ExternalToolFailure.NonZeroExit)
        {
            throw new MediaIntegrityException("ffmpeg could not encode the masked video (corrupt or truncated input)", e);
        }
    }

    /// <summary>
    /// The encode, built by FFMpegCore: first video stream and any audio (<c>-map 0:a?</c> is custom: FFMpegCore's map
    /// builder has no optional-stream form), metadata and chapters dropped, the black boxes as <c>drawbox</c> filters,
    /// x264 veryfast CRF 18, audio copied, <c>faststart</c>. Pixel format and container are custom arguments because
    /// FFMpegCore's builders for them first ask ffmpeg for its format lists (an unbounded tool run of its own).
    /// </summary>
    internal static string EncodeArguments(string inputPath, string outputPath, IReadOnlyList<RoiRect> boxes) =>
        FFMpegArguments
            .FromFileInput(VideoFrames.QuotablePath(inputPath), verifyExists: false, o => o.WithCustomArgument("-nostdin -v error"))
            .OutputToFile(VideoFrames.QuotablePath(outputPath), overwrite: true, o =>
            {
                o.WithMap(0, StreamType.Video, 0).WithCustomArgument("-map 0:a?").WithoutMetadata().WithoutChapters();
                if (boxes.Count > 0)
                {
                    o.WithVideoFilters(filters =>
                    {
                        foreach (var box in boxes)
                        {
                            filters.WithCustomFilter("drawbox", MaskFilter.DrawboxOptions(box));
                        }
                    });
                }
                o.WithVideoCodec(VideoCodec.LibX264).WithSpeedPreset(EncoderPreset.VeryFast).WithConstantRateFactor(18)
                    .WithCustomArgument("-pix_fmt yuv420p")
                    .WithAudioCodec(AudioCodec.Copy).WithFastStart().WithCustomArgument("-f mp4");
            })
            .Arguments;

    private async Task<VideoInfo> VerifyOutputAsync(string outputPath, VideoInfo input, CancellationToken cancellationToken)
    {
        var file = new FileInfo(outputPath);
        if (!file.Exists || file.Length == 0)
        {
            throw new MediaIntegrityException("masked video was not written or is empty");
        }
        var output = await frames.ProbeAsync(outputPath, cancellationToken).ConfigureAwait(false);
        if (output.Width != input.Width || output.Height != input.Height)
        {
            throw new MediaIntegrityException(string.Create(CultureInfo.InvariantCulture,
                $"masked video is {output.Width}x{output.Height}, the input {input.Width}x{input.Height}"));
        }
        var tolerance = TimeSpan.FromSeconds(Math.Max(1.0, input.Duration.TotalSeconds * 0.02));
        if (input.Duration > TimeSpan.Zero && (output.Duration - input.Duration).Duration() > tolerance)
        {
            throw new MediaIntegrityException(string.Create(CultureInfo.InvariantCulture,
                $"masked video lasts {output.Duration.TotalSeconds:0.0} s, the input {input.Duration.TotalSeconds:0.0} s"));
        }
        return output;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}
