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
/// black (<see cref="MaskFilter.EncodeFilters"/>: <c>crop</c> to the region, <c>pad</c> back in black), H.264 (<c>libx264</c> at <see cref="MaskingEncoder.Default"/>, <c>-pix_fmt yuv420p</c>), audio copied,
/// container metadata and chapters dropped, <c>+faststart</c>; the ffmpeg command line is built by FFMpegCore
/// (<see cref="EncodeArguments"/>) and run bounded by <see cref="ToolRunner"/>. The output is probed (same frame size, a
/// duration close to the input's), hashed, and then checked: OCR of the sensitive regions on frames of the
/// output must find none of the values read from the original (<see cref="MaskingSelfCheckFailedException"/>
/// otherwise), and at least one frame of the output must be readable for that. On any failure the output file is deleted.
/// </summary>
internal sealed class VideoMasker(VideoFrames frames, OverlayReader reader, ToolRunner tools, TimeProvider time, MediaToolPaths? paths = null,
    MaskingEncoder? encoder = null)
{
    private readonly MediaToolPaths paths = paths ?? MediaToolPaths.FromPath;
    private readonly MaskingEncoder encoder = encoder ?? MaskingEncoder.Default;

    /// <summary>Frames of the output checked by the self-check.</summary>
    public const int SelfCheckFrames = 6;

    /// <summary>Masks <paramref name="inputPath"/> into <paramref name="outputPath"/> (an <c>.mp4</c>) and runs the self-check against <paramref name="reading"/>.</summary>
    /// <exception cref="MediaIntegrityException">The input cannot be read, or the output is missing, empty or of the wrong shape.</exception>
    /// <exception cref="MaskingSelfCheckFailedException">The output still shows an extracted value.</exception>
    /// <exception cref="ExternalToolException">ffmpeg or Tesseract failed in another way (timeout, limits).</exception>
    public async Task<MaskedVideo> MaskAsync(string inputPath, string outputPath, OverlayLayout layout, OverlayReading reading, string? tempRoot, CancellationToken cancellationToken)
    {
        var info = await frames.ProbeAsync(inputPath, cancellationToken).ConfigureAwait(false);
        return await MaskAsync(inputPath, VideoShape.From(info), outputPath, layout, reading, tempRoot, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Masks <paramref name="inputPath"/> of the already probed <paramref name="input"/> shape (the job's probe: the worker
    /// never probes its input twice) into <paramref name="outputPath"/> and runs the self-check against <paramref name="reading"/>.
    /// </summary>
    /// <exception cref="MediaIntegrityException">The input cannot be read, or the output is missing, empty or of the wrong shape.</exception>
    /// <exception cref="MaskingSelfCheckFailedException">The output still shows an extracted value.</exception>
    /// <exception cref="ExternalToolException">ffmpeg or Tesseract failed in another way (timeout, limits).</exception>
    public async Task<MaskedVideo> MaskAsync(string inputPath, VideoShape input, string outputPath, OverlayLayout layout, OverlayReading reading, string? tempRoot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var points = encoder.SelfCheckKeyFrames
            ? SelfCheckSchedule.For(input, SelfCheckFrames)
            : VideoFrames.SampleTimes(input.Duration, SelfCheckFrames).Select(t => new SelfCheckPoint(t, t)).ToList();
        try
        {
            await EncodeAsync(inputPath, outputPath, layout, input, points, cancellationToken).ConfigureAwait(false);
            var output = await VerifyOutputAsync(outputPath, input, cancellationToken).ConfigureAwait(false);
            await SelfCheckAsync(outputPath, layout, SensitiveOverlayValues.From(reading), points, tempRoot, cancellationToken).ConfigureAwait(false);
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
    /// OCR of the sensitive regions on the frames of <paramref name="videoPath"/> at <paramref name="points"/>; throws when one shows a
    /// value of <paramref name="values"/>, or when no frame could be read.
    /// </summary>
    public async Task SelfCheckAsync(string videoPath, OverlayLayout layout, SensitiveOverlayValues values, IReadOnlyList<SelfCheckPoint> points, string? tempRoot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        using var temp = new PrivateTempDirectory(tempRoot);
        var images = await frames.GrabGrayAsync(videoPath, points.Select(p => p.Grab).ToList(), temp.Path, cancellationToken).ConfigureAwait(false);
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

    private async Task EncodeAsync(string inputPath, string outputPath, OverlayLayout layout, VideoShape input, IReadOnlyList<SelfCheckPoint> points,
        CancellationToken cancellationToken)
    {
        var filters = encoder.CropAndPad
            ? MaskFilter.EncodeFilters(layout, input.Width, input.Height)
            : MaskFilter.Boxes(layout, input.Width, input.Height).Select(box => ("drawbox", MaskFilter.DrawboxOptions(box))).ToList();
        var arguments = EncodeArguments(inputPath, outputPath, filters, encoder, encoder.SelfCheckKeyFrames ? points.Select(p => p.KeyFrame).ToList() : null);
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
    /// builder has no optional-stream form), metadata and chapters dropped, the masking <paramref name="filters"/> (<see cref="MaskFilter.EncodeFilters"/>),
    /// x264 at <paramref name="encoder"/> (default <see cref="MaskingEncoder.Default"/>), a keyframe forced at each of
    /// <paramref name="keyFrames"/> (where the self-check reads), audio copied, <c>faststart</c>. Pixel format, forced
    /// keyframes and container are custom arguments because FFMpegCore has no builder for the second and its builders for
    /// the others first ask ffmpeg for its format lists (an unbounded tool run of its own).
    /// </summary>
    internal static string EncodeArguments(string inputPath, string outputPath, IReadOnlyList<(string Name, string Options)> filters, MaskingEncoder? encoder = null,
        IReadOnlyList<TimeSpan>? keyFrames = null) =>
        FFMpegArguments
            .FromFileInput(VideoFrames.QuotablePath(inputPath), verifyExists: false, o => o.WithCustomArgument("-nostdin -v error"))
            .OutputToFile(VideoFrames.QuotablePath(outputPath), overwrite: true, o =>
            {
                o.WithMap(0, StreamType.Video, 0).WithCustomArgument("-map 0:a?").WithoutMetadata().WithoutChapters();
                if (filters.Count > 0)
                {
                    o.WithVideoFilters(options =>
                    {
                        foreach (var (name, value) in filters)
                        {
                            options.WithCustomFilter(name, value);
                        }
                    });
                }
                var x264 = encoder ?? MaskingEncoder.Default;
                o.WithVideoCodec(VideoCodec.LibX264).WithSpeedPreset(x264.Preset).WithConstantRateFactor(x264.Crf);
                if (keyFrames is { Count: > 0 })
                {
                    o.WithCustomArgument("-force_key_frames " + string.Join(',', keyFrames.Select(t => t.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture))));
                }
                o.WithCustomArgument("-pix_fmt yuv420p")
                    .WithAudioCodec(AudioCodec.Copy).WithFastStart().WithCustomArgument("-f mp4");
            })
            .Arguments;

    private async Task<VideoInfo> VerifyOutputAsync(string outputPath, VideoShape input, CancellationToken cancellationToken)
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
