using System.Globalization;
using System.Text;
using LxAnnotate.Bench.Ocr;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.TestSupport.Media;

// Overlay OCR accuracy, processing time and masked-output quality on a generated corpus (invented names and dates only).
// Usage: dotnet run -c Release --project bench/ocr -- [--videos 20] [--min-seconds 10] [--max-seconds 120] [--fps 25]
//        [--seed 42] [--baseline | --baseline-every N] [--report FILE]
var options = BenchOptions.Parse(args);
var log = new ToolTimeLog();
var tools = new ToolRunner(log);
var layout = OverlayLayouts.OlympusCv1500;
var corpus = Corpus.Generate(options.Videos, options.Seed);
var pipelines = new List<BenchPipeline> { new("current", tools, log, baseline: false) };
if (options.BaselineEvery > 0)
{
    pipelines.Add(new BenchPipeline("baseline", tools, log, baseline: true));
}
var results = pipelines.ToDictionary(p => p.Name, _ => new List<VideoResult>());
var loads = new List<string> { LoadAverage() };
var started = DateTimeOffset.UtcNow;

var work = Directory.CreateTempSubdirectory("lxa-ocr-bench-");
try
{
    for (var i = 0; i < corpus.Count; i++)
    {
        var seconds = options.SecondsOf(i);
        var input = Path.Combine(work.FullName, $"v{i:00}.mp4");
        var output = Path.Combine(work.FullName, $"v{i:00}.masked.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(input, corpus[i], seconds, options.Fps, audio: true);
        // Alternate which run goes first, so neither always meets a cold page cache or the same neighbours.
        var runHere = pipelines.Where(p => p.Name == "current" || i % options.BaselineEvery == 0).ToList();
        foreach (var pipeline in i % 2 == 0 ? runHere : runHere.AsEnumerable().Reverse())
        {
            var result = await pipeline.RunAsync(i, input, output, corpus[i], seconds, layout);
            results[pipeline.Name].Add(result);
            File.Delete(output);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"video {i + 1}/{corpus.Count} ({seconds:0.0} s) {pipeline.Name}: {result.Hits.Count(h => h)}/{result.Hits.Length} fields, {result.Total.Wall:0.0} s wall, {result.Total.Cpu:0.0} s CPU, SSIM {result.Ssim?.Mean:0.0000}, {LoadAverage()}"));
        }
        loads.Add(LoadAverage());
        File.Delete(input);
    }
}
finally
{
    work.Delete(recursive: true);
}

var runs = pipelines.Select(p => (p.Name, (IReadOnlyList<VideoResult>)results[p.Name])).ToList();
if (options.BaselineEvery > 1)
{
    // The ratio is taken on the same videos.
    var baselineVideos = results["baseline"].Select(r => r.Index).ToHashSet();
    runs.Insert(1, ("current, the baseline's videos", results["current"].Where(r => baselineVideos.Contains(r.Index)).ToList()));
}
var current = results["current"];
var minutes = current.Sum(r => r.Seconds) / 60.0;
var report = new StringBuilder();
report.AppendLine(string.Create(CultureInfo.InvariantCulture,
    $"Corpus: {corpus.Count} generated 1920x1080 videos of {current.Min(r => r.Seconds):0.#}–{current.Max(r => r.Seconds):0.#} s at {options.Fps} fps ({minutes:0.00} min in all), seed {options.Seed}, font sizes {corpus.Min(p => p.FontSize)}–{corpus.Max(p => p.FontSize)} px; {Environment.ProcessorCount} cores; {started:yyyy-MM-dd HH:mm}–{DateTimeOffset.UtcNow:HH:mm} UTC."));
report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) at the start, after each video, at the end: {string.Join("; ", loads)}."));
report.AppendLine();
foreach (var pipeline in pipelines)
{
    report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {pipeline.Name}: {pipeline.Description}"));
}
report.AppendLine();
report.Append(BenchReport.Summary(runs)).AppendLine();
report.Append(BenchReport.Stages(runs)).AppendLine();
report.Append(BenchReport.Accuracy(current)).AppendLine();
report.Append(BenchReport.PerVideo(runs));
await Console.Out.WriteAsync(report.ToString());
if (options.Report is not null)
{
    await File.WriteAllTextAsync(options.Report, report.ToString());
}
return runs.All(r => r.Item2.All(v => v.Failure is null)) ? 0 : 1;

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
