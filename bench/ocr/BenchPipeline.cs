using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.TestSupport.Media;

namespace LxAnnotate.Bench.Ocr;

/// <summary>
/// The worker's video path for one job, stage by stage as <c>JobPipeline</c> and <c>OverlayVideoAnonymizer</c> run it:
/// the job's probe, the overlay reading, the masking (encode, output check, self-check).
/// </summary>
internal sealed class BenchPipeline(string name, ToolRunner tools, ToolTimeLog log, bool baseline)
{
    private readonly FfprobeVideoProbe probe = new(
        new WorkerSettings(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), null, "bench"), tools);
    private readonly OverlayReader reader = new(new VideoFrames(tools), new TesseractOcr(tools), TimeProvider.System);
    private readonly VideoMasker masker = new(new VideoFrames(tools), new OverlayReader(new VideoFrames(tools), new TesseractOcr(tools), TimeProvider.System),
        tools, TimeProvider.System, encoder: baseline ? MaskingEncoder.Previous : MaskingEncoder.Default);

    public string Name { get; } = name;

    public string Description { get; } = baseline
        ? "the previous masking (x264 veryfast CRF 18, drawbox, self-check seeking between keyframes; reader and masker probing the input again)"
        : "as the worker runs it now (one probe, x264 ultrafast CRF 20, crop+pad, keyframes where the self-check reads)";

    public async Task<VideoResult> RunAsync(int index, string input, string output, FakeOverlayPatient patient, double seconds, OverlayLayout layout)
    {
        var (media, probeTime) = await StageTime.MeasureAsync(() => probe.ProbeAsync(input, CancellationToken.None));
        var shape = VideoShape.From(media);
        var ocrStart = log.Count;
        var (reading, ocrTime) = await StageTime.MeasureAsync(() => baseline
            ? reader.ReadAsync(input, layout, OverlayReaderOptions.Default, CancellationToken.None)
            : reader.ReadAsync(input, shape.Duration, layout, OverlayReaderOptions.Default, CancellationToken.None));
        var hits = BenchReport.Hits(reading, patient);
        var ocrGrabWall = log.Since(ocrStart).Where(r => r.Tool == "ffmpeg").Sum(r => r.Seconds);

        var logStart = log.Count;
        string? failure = null;
        var (masked, maskTime) = await StageTime.MeasureAsync(async () =>
        {
            try
            {
                return baseline
                    ? await masker.MaskAsync(input, output, layout, reading, null, CancellationToken.None)
                    : await masker.MaskAsync(input, shape, output, layout, reading, null, CancellationToken.None);
            }
            catch (MediaIntegrityException e)
            {
                failure = e.Message;
                return null;
            }
        });
        var runs = log.Since(logStart);
        var encodeWall = runs.FirstOrDefault(r => r.Tool == "ffmpeg").Seconds;
        // The masker's order: (the baseline's second probe,) encode, output probe, then the self-check's grabs and OCR.
        var outputProbe = runs.ToList().FindLastIndex(r => r.Tool == "ffprobe");
        var selfCheckWall = runs.Skip(outputProbe + 1).Sum(r => r.Seconds);
        (double, double)? ssim = masked is null ? null : await EndoscopeSsim.MeasureAsync(tools, input, output, layout, TimeSpan.FromSeconds(seconds));
        return new VideoResult(index, seconds, hits, probeTime, ocrTime, ocrGrabWall, maskTime, encodeWall, selfCheckWall, reading.FramesRead, ssim, failure, masked?.SizeBytes ?? 0);
    }
}
