using System.Diagnostics;
using System.Globalization;
using System.Text;
using LxAnnotate.Bench.Ocr;
using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.TestSupport.Media;
using Microsoft.Extensions.Logging.Abstractions;

// Overlay OCR accuracy and processing time on a generated corpus (invented names and dates only).
// Usage: dotnet run -c Release --project bench/ocr -- [--videos 20] [--seconds 10] [--fps 25] [--seed 42] [--report FILE]
var options = BenchOptions.Parse(args);
var tools = new ToolRunner(NullLogger<ToolRunner>.Instance);
var frames = new VideoFrames(tools);
var reader = new OverlayReader(frames, new TesseractOcr(tools), TimeProvider.System);
var masker = new VideoMasker(frames, reader, tools, TimeProvider.System);
var layout = OverlayLayouts.OlympusCv1500;
var corpus = Corpus.Generate(options.Videos, options.Seed);

var work = Directory.CreateTempSubdirectory("lxa-ocr-bench-");
var fieldNames = new[] { "first name", "last name", "date of birth", "examination date", "examination time", "endoscope type", "endoscope serial" };
var correct = new int[fieldNames.Length];
var readTime = TimeSpan.Zero;
var maskTime = TimeSpan.Zero;
var selfCheckPassed = 0;
var framesRead = 0;
var failures = new List<string>();
try
{
    for (var i = 0; i < corpus.Count; i++)
    {
        var patient = corpus[i];
        var input = Path.Combine(work.FullName, $"v{i:00}.mp4");
        var output = Path.Combine(work.FullName, $"v{i:00}.masked.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(input, patient, options.Seconds, options.Fps, audio: true);

        var watch = Stopwatch.StartNew();
        var reading = await reader.ReadAsync(input, layout, OverlayReaderOptions.Default, CancellationToken.None);
        readTime += watch.Elapsed;
        framesRead += reading.FramesRead;

        var hits = new[]
        {
            reading.FirstName?.Value == patient.FirstName,
            reading.LastName?.Value == patient.LastName,
            reading.DateOfBirth?.Value == patient.DateOfBirth,
            reading.ExaminationDate?.Value == patient.ExaminationDate,
            reading.ExaminationTime?.Value == patient.ExaminationTime,
            reading.EndoscopeType?.Value == patient.EndoscopeType,
            reading.EndoscopeSerial?.Value == patient.EndoscopeSerial,
        };
        for (var f = 0; f < hits.Length; f++)
        {
            if (hits[f])
            {
                correct[f]++;
            }
            else
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"video {i:00}: {fieldNames[f]} wrong (font {patient.FontSize})"));
            }
        }

        watch.Restart();
        try
        {
            await masker.MaskAsync(input, output, layout, reading, null, CancellationToken.None);
            selfCheckPassed++;
        }
        catch (MediaIntegrityException e)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"video {i:00}: masking failed: {e.Message}"));
        }
        maskTime += watch.Elapsed;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"video {i + 1}/{corpus.Count}: {hits.Count(h => h)}/{hits.Length} fields, {reading.FramesRead} frames"));
        File.Delete(input);
        File.Delete(output);
    }
}
finally
{
    work.Delete(recursive: true);
}

var videoMinutes = corpus.Count * options.Seconds / 60.0;
var total = correct.Sum();
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Corpus: {corpus.Count} generated 1920x1080 videos, {options.Seconds:0.#} s each at {options.Fps} fps ({videoMinutes:0.00} min), seed {options.Seed}, font sizes {corpus.Min(p => p.FontSize)}–{corpus.Max(p => p.FontSize)} px, {Environment.ProcessorCount} cores.");
report.AppendLine();
report.AppendLine("| field | correct | accuracy |");
report.AppendLine("|---|---|---|");
for (var f = 0; f < fieldNames.Length; f++)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"| {fieldNames[f]} | {correct[f]}/{corpus.Count} | {100.0 * correct[f] / corpus.Count:0.0} % |");
}
report.AppendLine(CultureInfo.InvariantCulture, $"| **all fields** | {total}/{corpus.Count * fieldNames.Length} | {100.0 * total / (corpus.Count * fieldNames.Length):0.0} % |");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Masked output passed the self-check: {selfCheckPassed}/{corpus.Count}.");
report.AppendLine();
report.AppendLine("| step | total | per video | per minute of 1080p video |");
report.AppendLine("|---|---|---|---|");
report.AppendLine(CultureInfo.InvariantCulture, $"| overlay OCR ({(double)framesRead / corpus.Count:0.0} frames read per video on average) | {readTime.TotalSeconds:0.0} s | {readTime.TotalSeconds / corpus.Count:0.0} s | {readTime.TotalSeconds / videoMinutes:0.0} s |");
report.AppendLine(CultureInfo.InvariantCulture, $"| masking (encode + verify + self-check) | {maskTime.TotalSeconds:0.0} s | {maskTime.TotalSeconds / corpus.Count:0.0} s | {maskTime.TotalSeconds / videoMinutes:0.0} s |");
report.AppendLine(CultureInfo.InvariantCulture, $"| both | {(readTime + maskTime).TotalSeconds:0.0} s | {(readTime + maskTime).TotalSeconds / corpus.Count:0.0} s | {(readTime + maskTime).TotalSeconds / videoMinutes:0.0} s |");
if (failures.Count > 0)
{
    report.AppendLine();
    report.AppendLine("Misses:");
    failures.ForEach(f => report.AppendLine("- " + f));
}
await Console.Out.WriteAsync(report.ToString());
if (options.Report is not null)
{
    await File.WriteAllTextAsync(options.Report, report.ToString());
}
return selfCheckPassed == corpus.Count ? 0 : 1;
