using System.Globalization;
using LxAnnotate.Hub.Processing.Operators;

namespace LxAnnotate.Hub.Cli;

/// <summary>Human-readable output of <c>jobs</c> and <c>processors</c> (scripts use <c>--json</c>).</summary>
internal static class ProcessingText
{
    public static void Jobs(IReadOnlyList<JobView> jobs, TextWriter output)
    {
        if (jobs.Count == 0)
        {
            output.WriteLine("No jobs.");
            return;
        }

        OperatorText.WriteTable(output, "", ["ID", "STATUS", "CENTER", "CONTENT TYPE", "ERROR", "RETRIES", "CREATED"],
            jobs.Select(j => new[]
            {
                j.Id.ToString("D"), j.Status, j.CenterKey, j.ContentType, j.ErrorCode ?? "",
                string.Create(CultureInfo.InvariantCulture, $"{j.RetryCount}/{j.MaxRetries}"), OperatorText.Time(j.CreatedAt),
            }));
    }

    /// <param name="envFile">The <c>--env-file</c> this command was given, repeated in the commands it prints.</param>
    public static void Job(JobView job, TextWriter output, string? envFile = null)
    {
        output.WriteLine($"Job {job.Id:D}");
        Line(output, "status", job.Status);
        Line(output, "center", job.CenterKey);
        Line(output, "source system", job.SourceSystem);
        Line(output, "ingest mode", job.IngestMode);
        Line(output, "content", string.Create(CultureInfo.InvariantCulture, $"{job.ContentType}, {job.SizeBytes} bytes, sha256 {job.ContentHash}"));
        Line(output, "error", job.ErrorCode is null ? null : $"{job.ErrorCode}: {job.ErrorDetail}");
        Line(output, "attempts", string.Create(CultureInfo.InvariantCulture, $"{job.RetryCount} retries of {job.MaxRetries} attempts")
            + (job.NextRetryAt is { } next ? ", next at " + OperatorText.Time(next) : ""));
        Line(output, "lease", job.ProcessingLeaseOwner is null ? null
            : string.Create(CultureInfo.InvariantCulture, $"{job.ProcessingLeaseOwner} until {OperatorText.Time(job.ProcessingLeaseExpiresAt!.Value)} (token {job.ProcessingLeaseToken})"));
        Line(output, "video", job.MediaInfo is not { } m ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{m.Width}x{m.Height}, {m.DurationSeconds:0.###} s, {m.Fps:0.###} fps, {m.FrameCount} frames, {m.Codec} {m.PixelFormat}, {m.BitRate} bit/s"));
        Line(output, "processed video", job.ProcessedVideoHash is null ? null : "sha256 " + job.ProcessedVideoHash);
        Line(output, "sensitive meta", job.SensitiveMetaId?.ToString(CultureInfo.InvariantCulture));
        WhereValuesAre(job, output, envFile);
        SensitiveMetaLines(job.SensitiveMeta, output);
        foreach (var artifact in job.Artifacts ?? [])
        {
            Line(output, "artifact", string.Create(CultureInfo.InvariantCulture,
                $"{artifact.Kind} {artifact.StorageClass} {artifact.RelativePath} ({artifact.SizeBytes} bytes, sha256 {artifact.Sha256})"));
        }

        Line(output, "masked video", job.MaskedVideoPath);
        Line(output, "processed", job.ProcessedAt is { } at ? OperatorText.Time(at) : null);
        Line(output, "created", OperatorText.Time(job.CreatedAt));
        Line(output, "updated", OperatorText.Time(job.UpdatedAt));
    }

    // Numbers and field names only: the values stay in the sensitive store.
    private static void SensitiveMetaLines(JobSensitiveMetaView? meta, TextWriter output)
    {
        if (meta is null)
        {
            return;
        }
        Line(output, "verified", meta.IsVerified ? "yes" : "no (a person checks the values)");
        Line(output, "hashes", (meta.HasPatientHash ? "patient" : "no patient") + ", " + (meta.HasExaminationHash ? "examination" : "no examination"));
        foreach (var (field, q) in meta.FieldQuality ?? new Dictionary<string, Processing.Ocr.FieldQuality>())
        {
            Line(output, "  " + field, string.Create(CultureInfo.InvariantCulture,
                $"{(q.Kept ? "kept" : "dropped (" + q.Dropped + ")")}, confidence {q.Confidence:0.00}, agreement {q.Agreement:0.00} ({q.Votes}/{q.Frames} frames)"));
        }
    }

    public static void Retried(JobRetry retry, TextWriter output) =>
        output.WriteLine($"Job {retry.Job.Id:D} was '{retry.PreviousStatus}'; it is queued again (retrying, due now).");

    public static void Processors(IReadOnlyList<ProcessorView> processors, TextWriter output)
    {
        if (processors.Count == 0)
        {
            output.WriteLine("No processor profiles.");
            return;
        }

        OperatorText.WriteTable(output, "", ["NAME", "FRAME", "CENTERS", "DEFAULT FOR"],
            processors.Select(p => new[]
            {
                p.Name, string.Create(CultureInfo.InvariantCulture, $"{p.ImageWidth}x{p.ImageHeight}"), string.Join(',', p.Centers), string.Join(',', p.DefaultFor),
            }));
    }

    public static void Processor(ProcessorView processor, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Processor {processor.Name} ({processor.ImageWidth}x{processor.ImageHeight})"));
        Line(output, "centers", string.Join(',', processor.Centers));
        Line(output, "default for", string.Join(',', processor.DefaultFor));
        OperatorText.WriteTable(output, "  ", ["REGION", "X", "Y", "WIDTH", "HEIGHT"],
            processor.Rois.Select(r => new[]
            {
                r.Key, r.Value.X.ToString(CultureInfo.InvariantCulture), r.Value.Y.ToString(CultureInfo.InvariantCulture),
                r.Value.Width.ToString(CultureInfo.InvariantCulture), r.Value.Height.ToString(CultureInfo.InvariantCulture),
            }));
    }

    /// <summary>Where the extracted values are and the command that shows them; the values never appear here.</summary>
    private static void WhereValuesAre(JobView job, TextWriter output, string? envFile)
    {
        switch (job.ExtractedValues)
        {
            case { Storage: JobValuesView.EncryptedFile, File: { } file }:
                Line(output, "values", "encrypted (LXENC01) in " + file);
                var env = envFile is null ? "" : "--env-file " + ShellWord(envFile) + " ";
                Line(output, "read values", $"lxa-hub {env}encrypted cat {ShellWord(file)}");
                break;
            case { Storage: JobValuesView.PlainColumns }:
                Line(output, "values", "plain columns of the database (no master key was configured)");
                Line(output, "read values", string.Create(CultureInfo.InvariantCulture, $"SELECT * FROM sensitive_meta WHERE id = {job.SensitiveMetaId}"));
                break;
        }
    }

    /// <summary>The path as one shell word: as is when it needs no quoting, else in single quotes.</summary>
    private static string ShellWord(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',' or '@')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Line(TextWriter output, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.WriteLine($"  {label + ":",-17}{value}");
        }
    }
}
