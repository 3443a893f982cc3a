using System.Globalization;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>Our rows for an original job: the upload job with its provenance, and its sensitive meta.</summary>
internal static class ImportedRows
{
    /// <summary>Entrypoint recorded for a job whose original provenance names none (the 0.7 line has no provenance).</summary>
    public const string DefaultEntrypoint = "import_python";

    /// <summary>Names the first value longer than our column allows (the original's columns are wider in places), or null.</summary>
    public static string? TooLong(PlannedJob plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        (string Column, string Value, int Max)[] checks =
        [
            ("source_system", plan.Job.SourceSystem, 128),
            ("content_type", plan.ContentType, 128),
            ("storage_class", plan.Job.StorageClass, 64),
            ("storage_tier", plan.Job.StorageTier, 32),
            ("retention_policy", plan.Job.RetentionPolicy, 64),
            ("idempotency_key", plan.Job.IdempotencyKey, 255),
        ];
        return checks.Where(c => c.Value.Length > c.Max)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"its {c.Column} is longer than {c.Max} characters"))
            .FirstOrDefault();
    }

    public static UploadJob Job(PlannedJob plan, Center center, PlannedOutput upload)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(upload);
        var source = plan.Job;
        var mode = WireNames.ParseIngestMode(source.IngestMode);
        var filename = source.OriginalFilename.Length > 0 ? source.OriginalFilename : Path.GetFileName(source.File);
        return new UploadJob
        {
            Id = source.Id,
            SourceCenterId = center.Id,
            SourceSystem = source.SourceSystem,
            IngestMode = mode,
            ContentType = plan.ContentType,
            ContentHash = upload.Source.Sha256,
            SizeBytes = upload.Source.SizeBytes,
            IdempotencyKey = source.IdempotencyKey.Length > 0 ? source.IdempotencyKey : null,
            OriginalFilename = filename,
            StoragePath = upload.RelativePath,
            StorageEncoding = upload.StorageClass,
            StorageClass = source.StorageClass,
            StorageTier = source.StorageTier,
            RetentionPolicy = source.RetentionPolicy,
            ProcessingProvenance = new ProcessingProvenance
            {
                Entrypoint = source.Entrypoint ?? DefaultEntrypoint,
                IngestMode = mode.ToWire(),
                SourceSystem = source.SourceSystem,
                ContentHash = upload.Source.Sha256,
                SourceCenterKey = center.CenterKey,
                StorageClass = source.StorageClass,
                StorageTier = source.StorageTier,
                RetentionPolicy = source.RetentionPolicy,
                ResolvedCenterKey = center.CenterKey,
                OriginalFilename = filename,
            },
            CreatedAt = source.CreatedAt,
            UpdatedAt = source.UpdatedAt,
        };
    }

    /// <summary>The sensitive meta with the original's stored hashes, laid out as the worker lays it out.</summary>
    public static async Task<SensitiveMeta> SensitiveMetaAsync(PlannedJob plan, Center center, SensitiveArtifactWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(writer);
        var meta = plan.Meta!;
        var sourceName = plan.ContentType.StartsWith("video/", StringComparison.Ordinal) ? "ocr"
            : plan.ContentType == "application/pdf" ? "report" : "sidecar";
        var values = new SensitiveValues(sourceName, meta.FirstName, meta.LastName, meta.DateOfBirth, meta.ExaminationDate, meta.ExaminationTime, meta.EndoscopeType, meta.EndoscopeSn);
        return await SensitiveMetaRows.CreateAsync(writer, plan.Job.Id, center.Id, center.CenterKey, values, meta.PatientHash, meta.ExaminationHash, plan.Job.CreatedAt, cancellationToken);
    }
}
