using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// A test double for the anonymization stage (built elsewhere): it copies the input to the output path,
/// returns fixed overlay values and records what the pipeline handed it, so the wiring around the stage
/// (processor choice, output path, hash and SensitiveMeta storage) can be checked.
/// </summary>
internal sealed class RecordingAnonymizer : IVideoAnonymizer
{
    public static readonly SensitiveValues Values = new("ocr", "Anna", "Schmidt", new DateOnly(1980, 5, 17), new DateOnly(2025, 2, 3), new TimeOnly(10, 15), "CF-H190", "7001234");

    public List<(ProcessingJob Job, VideoMediaInfo Media, EndoscopyProcessor Processor, string Output)> Calls { get; } = [];

    public async Task<VideoAnonymization> AnonymizeAsync(ProcessingJob job, VideoMediaInfo media, EndoscopyProcessor processor, string outputPath, CancellationToken cancellationToken)
    {
        Calls.Add((job, media, processor, outputPath));
        File.Copy(job.StoredFile, outputPath);
        await using var output = File.OpenRead(outputPath);
        return new VideoAnonymization(Values, Convert.ToHexStringLower(await SHA256.HashDataAsync(output, cancellationToken)));
    }
}
