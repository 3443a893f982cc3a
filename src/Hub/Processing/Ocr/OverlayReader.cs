using System.Globalization;
using LxAnnotate.Hub.Processing.Imaging;
using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Reads the patient overlay of an endoscopy video: samples up to <see cref="OverlayReaderOptions.MaxFrames"/>
/// evenly spread frames (ffmpeg, grayscale PGM in a private temp directory), crops each text region of the
/// <see cref="OverlayLayout"/> scaled to the frame, prepares it (<see cref="OcrPreprocessor"/>), reads all crops
/// of a batch of frames in one Tesseract run (<c>deu+eng</c>, <c>--psm 7</c>), parses names, dates and times,
/// and combines frames by a per-field majority vote (<see cref="OverlayVotes"/>): a field is kept only when its reads
/// parse as its kind and reach <see cref="OverlayReaderOptions.MinConfidence"/> and
/// <see cref="OverlayReaderOptions.MinAgreement"/>; otherwise it is null, so a video without an overlay gets no
/// identity. Stops early once first name, last name, date of birth and examination date agree
/// (<see cref="OverlayReaderOptions.AgreementVotes"/>) and would be kept.
/// </summary>
internal sealed class OverlayReader(VideoFrames frames, TesseractOcr ocr, TimeProvider time)
{
    private static readonly OverlayField[] TextFields =
    [
        OverlayField.PatientLastName, OverlayField.PatientFirstName, OverlayField.PatientDob,
        OverlayField.ExaminationDate, OverlayField.ExaminationTime, OverlayField.EndoscopeType, OverlayField.EndoscopeSn,
    ];

    /// <summary>Reads the overlay of the video at <paramref name="videoPath"/>.</summary>
    /// <exception cref="MediaIntegrityException">The video cannot be probed or decoded.</exception>
    /// <exception cref="Tools.ExternalToolException">Tesseract failed.</exception>
    public async Task<OverlayReading> ReadAsync(string videoPath, OverlayLayout layout, OverlayReaderOptions options, CancellationToken cancellationToken)
    {
        var info = await frames.ProbeAsync(videoPath, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(videoPath, info.Duration, layout, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the overlay of the video at <paramref name="videoPath"/> of the already probed <paramref name="duration"/>
    /// (the job's probe: the worker never probes a video twice).
    /// </summary>
    /// <exception cref="MediaIntegrityException">The video cannot be decoded.</exception>
    /// <exception cref="Tools.ExternalToolException">Tesseract failed.</exception>
    public async Task<OverlayReading> ReadAsync(string videoPath, TimeSpan duration, OverlayLayout layout, OverlayReaderOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFrames, 1);
        var times = VideoFrames.SampleTimes(duration, options.MaxFrames);
        var votes = new OverlayVotes(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), options);
        var stoppedEarly = false;
        using var temp = new PrivateTempDirectory(options.TempRoot);

        for (var start = 0; start < times.Count; start += VideoFrames.FramesPerCall)
        {
            var batchTimes = times.Skip(start).Take(VideoFrames.FramesPerCall).ToList();
            var images = await frames.GrabGrayAsync(videoPath, batchTimes, temp.Path, cancellationToken).ConfigureAwait(false);
            var frameTexts = await ReadFramesAsync(images, layout, temp, cancellationToken).ConfigureAwait(false);
            foreach (var texts in frameTexts)
            {
                votes.AddFrame(texts);
            }
            if (votes.HasAgreement(layout, options.AgreementVotes))
            {
                stoppedEarly = start + VideoFrames.FramesPerCall < times.Count;
                break;
            }
        }
        return votes.ToReading(layout, stoppedEarly);
    }

    /// <summary>
    /// OCR of the text regions of already grabbed frames: one dictionary per non-null frame, field → line read.
    /// Used by the reader and by the masking self-check.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<OverlayField, OcrLine>>> ReadFramesAsync(
        IReadOnlyList<GrayImage?> images, OverlayLayout layout, PrivateTempDirectory temp, CancellationToken cancellationToken)
    {
        var crops = new List<(int Frame, OverlayField Field, string Path)>();
        var frameIndexes = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image is null)
            {
                continue;
            }
            frameIndexes.Add(i);
            var regions = layout.ScaledTo(image.Width, image.Height);
            foreach (var field in TextFields)
            {
                if (!regions.TryGetValue(field, out var roi) || roi.Width < 4 || roi.Height < 4)
                {
                    continue;
                }
                var prepared = OcrPreprocessor.Prepare(image.Crop(roi.X, roi.Y, roi.Width, roi.Height));
                if (prepared is null)
                {
                    continue;
                }
                var path = temp.NewFile(".pgm");
                await File.WriteAllBytesAsync(path, prepared.ToPgm(), cancellationToken).ConfigureAwait(false);
                crops.Add((i, field, path));
            }
        }
        var lines = await ocr.ReadLinesAsync(crops.ConvertAll(c => c.Path), temp.Path, cancellationToken).ConfigureAwait(false);
        foreach (var crop in crops)
        {
            File.Delete(crop.Path);
        }
        var result = new List<IReadOnlyDictionary<OverlayField, OcrLine>>();
        foreach (var frame in frameIndexes)
        {
            var texts = new Dictionary<OverlayField, OcrLine>();
            for (var c = 0; c < crops.Count; c++)
            {
                if (crops[c].Frame == frame && lines[c] is { } line)
                {
                    texts[crops[c].Field] = line;
                }
            }
            result.Add(texts);
        }
        return result;
    }
}
