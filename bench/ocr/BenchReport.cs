using System.Globalization;
using System.Text;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.TestSupport.Media;

namespace LxAnnotate.Bench.Ocr;

/// <summary>The Markdown report: field accuracy, time per video-minute and fixed cost (a least-squares fit), stages, SSIM.</summary>
internal static class BenchReport
{
    public static readonly string[] FieldNames =
        ["first name", "last name", "date of birth", "examination date", "examination time", "endoscope type", "endoscope serial"];

    public static bool[] Hits(OverlayReading reading, FakeOverlayPatient patient) =>
    [
        reading.FirstName?.Value == patient.FirstName,
        reading.LastName?.Value == patient.LastName,
        reading.DateOfBirth?.Value == patient.DateOfBirth,
        reading.ExaminationDate?.Value == patient.ExaminationDate,
        reading.ExaminationTime?.Value == patient.ExaminationTime,
        reading.EndoscopeType?.Value == patient.EndoscopeType,
        reading.EndoscopeSerial?.Value == patient.EndoscopeSerial,
    ];

    public static string Accuracy(IReadOnlyList<VideoResult> results)
    {
        var text = new StringBuilder("| field | correct | accuracy |\n|---|---|---|\n");
        for (var f = 0; f < FieldNames.Length; f++)
        {
            var correct = results.Count(r => r.Hits[f]);
            text.Append(Invariant($"| {FieldNames[f]} | {correct}/{results.Count} | {100.0 * correct / results.Count:0.0} % |\n"));
        }
        var all = results.Sum(r => r.Hits.Count(h => h));
        var fields = results.Count * FieldNames.Length;
        return text.Append(Invariant($"| **all fields** | {all}/{fields} | **{100.0 * all / fields:0.0} %** |\n")).ToString();
    }

    /// <summary>One row per pipeline: per video-minute, fixed cost and slope of the fit, wall and CPU, SSIM, self-check.</summary>
    public static string Summary(IReadOnlyList<(string Name, IReadOnlyList<VideoResult> Results)> runs)
    {
        var text = new StringBuilder(
            "| run | wall s per video-minute | fit: fixed s per video + s per minute (wall) | CPU s per video-minute | fit (CPU) | SSIM endoscope region mean / min | masked MB per video-minute | self-check passed |\n" +
            "|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, results) in runs)
        {
            var minutes = results.Sum(r => r.Seconds) / 60.0;
            var (wallFixed, wallSlope) = Fit(results, r => r.Total.Wall);
            var (cpuFixed, cpuSlope) = Fit(results, r => r.Total.Cpu);
            var ssim = results.Where(r => r.Ssim is not null).Select(r => r.Ssim!.Value).ToList();
            var ssimText = ssim.Count == 0 ? "–" : Invariant($"{ssim.Average(s => s.Mean):0.0000} / {ssim.Min(s => s.Min):0.0000}");
            text.Append(Invariant(
                $"| {name} | {results.Sum(r => r.Total.Wall) / minutes:0.0} | {wallFixed:0.0} + {wallSlope:0.0} × min | {results.Sum(r => r.Total.Cpu) / minutes:0.0} | {cpuFixed:0.0} + {cpuSlope:0.0} × min | {ssimText} | {results.Sum(r => r.OutputBytes) / 1e6 / minutes:0} | {results.Count(r => r.Failure is null)}/{results.Count} |\n"));
        }
        return text.ToString();
    }

    /// <summary>Where the time goes: per stage, seconds per video-minute (wall; CPU where the stage is measured as a whole).</summary>
    public static string Stages(IReadOnlyList<(string Name, IReadOnlyList<VideoResult> Results)> runs)
    {
        var text = new StringBuilder(
            "| run | probe | overlay OCR (frames read per video) | of it: frame grabs | masking | of it: encode | of it: self-check | other (output probe, hash) |\n" +
            "|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, results) in runs)
        {
            var minutes = results.Sum(r => r.Seconds) / 60.0;
            string Both(Func<VideoResult, StageTime> stage) =>
                Invariant($"{results.Sum(r => stage(r).Wall) / minutes:0.0} wall, {results.Sum(r => stage(r).Cpu) / minutes:0.0} CPU");
            var other = results.Sum(r => r.Mask.Wall - r.EncodeWall - r.SelfCheckWall) / minutes;
            text.Append(Invariant(
                $"| {name} (s per video-minute) | {Both(r => r.Probe)} | {Both(r => r.Ocr)} ({results.Average(r => r.FramesRead):0.0}) | {results.Sum(r => r.OcrGrabWall) / minutes:0.0} wall | {Both(r => r.Mask)} | {results.Sum(r => r.EncodeWall) / minutes:0.0} wall | {results.Sum(r => r.SelfCheckWall) / minutes:0.0} wall | {other:0.0} wall |\n"));
        }
        return text.ToString();
    }

    public static string PerVideo(IReadOnlyList<(string Name, IReadOnlyList<VideoResult> Results)> runs)
    {
        var text = new StringBuilder("| video | length s | run | fields | probe s | OCR s | masking s (encode) | total s wall / CPU | SSIM mean / min |\n|---|---|---|---|---|---|---|---|---|\n");
        var rows = runs.Where(run => !run.Name.Contains(',', StringComparison.Ordinal))
            .SelectMany(run => run.Results.Select(r => (run.Name, Result: r)))
            .OrderBy(row => row.Result.Index);
        foreach (var (name, r) in rows)
        {
            var ssim = r.Ssim is { } s ? Invariant($"{s.Mean:0.0000} / {s.Min:0.0000}") : "failed: " + r.Failure;
            text.Append(Invariant(
                $"| {r.Index:00} | {r.Seconds:0.0} | {name} | {r.Hits.Count(h => h)}/{r.Hits.Length} | {r.Probe.Wall:0.00} | {r.Ocr.Wall:0.00} | {r.Mask.Wall:0.00} ({r.EncodeWall:0.00}) | {r.Total.Wall:0.00} / {r.Total.Cpu:0.00} | {ssim} |\n"));
        }
        return text.ToString();
    }

    /// <summary>Least-squares fit time = fixed + per_minute × minutes over the videos.</summary>
    public static (double Fixed, double PerMinute) Fit(IReadOnlyList<VideoResult> results, Func<VideoResult, double> time)
    {
        var xs = results.Select(r => r.Seconds / 60.0).ToList();
        var ys = results.Select(time).ToList();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        if (sxx == 0)
        {
            return (double.NaN, my / mx);
        }
        var slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / sxx;
        return (my - (slope * mx), slope);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
