using System.Globalization;
using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Hub.Processing.Sensitive;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>
/// What <c>lxa-hub jobs …</c> and <c>lxa-hub processors …</c> do. Changes are saved with their
/// <see cref="AuditEvent"/> in one <c>SaveChanges</c> and then logged on the audit category, as every
/// other operator command. Refusals are <see cref="OperatorException"/>.
/// </summary>
internal sealed class ProcessingOperatorService(LxaDbContext db, DataPaths paths, TimeProvider time, ILoggerFactory loggerFactory)
{
    public const int DefaultListLimit = 100;
    private const int NameMaxLength = 64;

    private readonly ILogger audit = loggerFactory.CreateLogger(OperatorAuditLog.Category);

    public async Task<IReadOnlyList<JobView>> ListJobsAsync(string? status, string? centerKey, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10000)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "--limit must be from 1 to 10000");
        }

        var query = db.UploadJobs.AsNoTracking().AsQueryable();
        if (status is not null)
        {
            var parsed = ParseStatus(status);
            query = query.Where(j => j.Status == parsed);
        }

        if (centerKey is not null)
        {
            var centerId = await CenterIdAsync(centerKey, cancellationToken);
            query = query.Where(j => j.SourceCenterId == centerId);
        }

        var rows = await query.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).Take(limit)
            .Select(j => new { Job = j, j.SourceCenter!.CenterKey })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Job.Id).ToList();
        var metas = await db.SensitiveMetas.AsNoTracking().Where(m => ids.Contains(m.UploadJobId))
            .Select(m => new { m.UploadJobId, m.Id }).ToDictionaryAsync(m => m.UploadJobId, m => m.Id, cancellationToken);
        return rows.Select(r => JobView.From(r.Job, r.CenterKey, metas.TryGetValue(r.Job.Id, out var id) ? id : null)).ToList();
    }

    public async Task<JobView> ShowJobAsync(string id, CancellationToken cancellationToken)
    {
        var jobId = ParseJobId(id);
        var row = await db.UploadJobs.AsNoTracking().Where(j => j.Id == jobId)
            .Select(j => new { Job = j, j.SourceCenter!.CenterKey }).FirstOrDefaultAsync(cancellationToken)
            ?? throw UnknownJob(id);
        var artifacts = await db.ProcessedArtifacts.AsNoTracking().Where(a => a.UploadJobId == jobId).OrderBy(a => a.Id)
            .Select(a => new JobArtifactView(a.Kind, a.StorageClass, a.RelativePath, a.SizeBytes, a.Sha256)).ToListAsync(cancellationToken);
        var meta = await db.SensitiveMetas.AsNoTracking().Where(m => m.UploadJobId == jobId)
            .Select(m => new { m.Id, m.ValuesPath, m.Source, m.IsVerified, HasPatientHash = m.PatientHash != null, HasExaminationHash = m.ExaminationHash != null, m.FieldQuality })
            .FirstOrDefaultAsync(cancellationToken);
        var values = meta is null ? null
            : meta.ValuesPath is { } file ? new JobValuesView(JobValuesView.EncryptedFile, Path.Join(paths.StorageDir, file))
            : new JobValuesView(JobValuesView.PlainColumns, null);
        var masked = artifacts.LastOrDefault(a => a.Kind == JobPipeline.MaskedVideoKind) is { } video ? Path.Join(paths.StorageDir, video.RelativePath) : null;
        var metaView = meta is null ? null
            : new JobSensitiveMetaView(meta.Id, meta.Source, meta.IsVerified, meta.HasPatientHash, meta.HasExaminationHash, FieldQualityJson.Parse(meta.FieldQuality));
        return JobView.From(row.Job, row.CenterKey, meta?.Id, artifacts, metaView) with { ExtractedValues = values, MaskedVideoPath = masked };
    }

    /// <summary>
    /// Sends an <c>error</c> or <c>lost</c> job back to the queue (<c>retrying</c>, due now, attempts reset).
    /// Other statuses are refused: a queued or running job needs no retry and an anonymized one is final.
    /// </summary>
    public async Task<JobRetry> RetryJobAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var jobId = ParseJobId(id);
        var job = await db.UploadJobs.Include(j => j.SourceCenter).FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken)
            ?? throw UnknownJob(id);
        var previous = job.Status;
        if (!UploadJobTransitions.IsAllowed(previous, UploadJobStatus.Retrying) || previous is not (UploadJobStatus.Error or UploadJobStatus.Lost))
        {
            throw new OperatorException(OperatorErrorKind.JobNotRetryable,
                $"job {jobId} is '{previous.ToWire()}'; only 'error' and 'lost' jobs can be retried");
        }

        var now = time.GetUtcNow();
        var previousError = job.ErrorCode?.ToWire();
        job.TransitionTo(UploadJobStatus.Retrying, now);
        job.RetryCount = 0;
        job.NextRetryAt = now;
        job.ProcessingLeaseOwner = null;
        job.ProcessingLeaseExpiresAt = null;
        try
        {
            await SaveWithAuditAsync(actor, "job_retried", "job:" + jobId.ToString("D"),
                new() { ["previous_status"] = previous.ToWire(), ["previous_error_code"] = previousError }, cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The dedup indexes cover active jobs: a newer upload of the same content is already active.
            throw new OperatorException(OperatorErrorKind.JobNotRetryable,
                $"job {jobId} cannot be retried: an active job for the same content or idempotency key exists");
        }

        return new JobRetry(JobView.From(job, job.SourceCenter!.CenterKey, await SensitiveMetaIdAsync(jobId, cancellationToken)), previous.ToWire());
    }

    /// <param name="rois">Every field of <see cref="ProcessorRois.FieldNames"/>, as <c>field=x,y,w,h</c>.</param>
    public async Task<ProcessorView> AddProcessorAsync(
        string name, int imageWidth, int imageHeight, IReadOnlyList<string> rois, IReadOnlyList<string> centerKeys, IReadOnlyList<string> defaultFor,
        string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rois);
        ArgumentNullException.ThrowIfNull(centerKeys);
        ArgumentNullException.ThrowIfNull(defaultFor);
        RequireProcessorName(name);
        if (imageWidth is < 1 or > 16384 || imageHeight is < 1 or > 16384)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "--image-width and --image-height must be from 1 to 16384");
        }

        var parsed = ProcessorRoiArguments.Parse(rois, imageWidth, imageHeight);
        if (await db.EndoscopyProcessors.AnyAsync(p => p.Name == name, cancellationToken))
        {
            throw DuplicateProcessor(name);
        }

        var processor = new EndoscopyProcessor { Name = name, ImageWidth = imageWidth, ImageHeight = imageHeight, Rois = parsed, CreatedAt = time.GetUtcNow() };
        db.EndoscopyProcessors.Add(processor);
        var uses = await UseAsync(processor, centerKeys, defaultFor, cancellationToken);
        try
        {
            await SaveWithAuditAsync(actor, "processor_added", "processor:" + name,
                new()
                {
                    ["image_width"] = imageWidth.ToString(CultureInfo.InvariantCulture),
                    ["image_height"] = imageHeight.ToString(CultureInfo.InvariantCulture),
                    ["rois"] = parsed.ToJson(),
                    ["centers"] = string.Join(',', uses.Select(u => u.CenterKey)),
                    ["default_for"] = string.Join(',', uses.Where(u => u.IsDefault).Select(u => u.CenterKey)),
                },
                cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw DuplicateProcessor(name);
        }

        return ProcessorView.From(processor, uses);
    }

    /// <summary>Records that centers use an existing processor, optionally as their default (replacing an earlier default).</summary>
    public async Task<ProcessorView> UseProcessorAsync(string name, IReadOnlyList<string> centerKeys, IReadOnlyList<string> defaultFor, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(centerKeys);
        ArgumentNullException.ThrowIfNull(defaultFor);
        if (centerKeys.Count == 0 && defaultFor.Count == 0)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "name at least one --center-key or --default-for");
        }

        var processor = await FindProcessorAsync(name, cancellationToken);
        var uses = await UseAsync(processor, centerKeys, defaultFor, cancellationToken);
        await SaveWithAuditAsync(actor, "processor_centers_set", "processor:" + name,
            new()
            {
                ["centers"] = string.Join(',', uses.Select(u => u.CenterKey)),
                ["default_for"] = string.Join(',', uses.Where(u => u.IsDefault).Select(u => u.CenterKey)),
            },
            cancellationToken);
        return await ShowProcessorAsync(name, cancellationToken);
    }

    public async Task<IReadOnlyList<ProcessorView>> ListProcessorsAsync(CancellationToken cancellationToken)
    {
        var processors = await db.EndoscopyProcessors.AsNoTracking().ToListAsync(cancellationToken);
        var uses = await CenterUsesAsync(cancellationToken);
        return processors.OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => ProcessorView.From(p, uses.Where(u => u.ProcessorId == p.Id).Select(u => (u.CenterKey, u.IsDefault)).ToList()))
            .ToList();
    }

    public async Task<ProcessorView> ShowProcessorAsync(string name, CancellationToken cancellationToken)
    {
        RequireProcessorName(name);
        var processor = await db.EndoscopyProcessors.AsNoTracking().FirstOrDefaultAsync(p => p.Name == name, cancellationToken)
            ?? throw new OperatorException(OperatorErrorKind.UnknownProcessor, $"unknown processor '{name}'");
        var uses = await CenterUsesAsync(cancellationToken);
        return ProcessorView.From(processor, uses.Where(u => u.ProcessorId == processor.Id).Select(u => (u.CenterKey, u.IsDefault)).ToList());
    }

    private async Task<List<(string CenterKey, bool IsDefault)>> UseAsync(EndoscopyProcessor processor, IReadOnlyList<string> centerKeys, IReadOnlyList<string> defaultFor, CancellationToken cancellationToken)
    {
        var result = new List<(string CenterKey, bool IsDefault)>();
        foreach (var key in centerKeys.Concat(defaultFor).Distinct(StringComparer.Ordinal))
        {
            var centerId = await CenterIdAsync(key, cancellationToken);
            var isDefault = defaultFor.Contains(key, StringComparer.Ordinal);
            if (isDefault)
            {
                // One default per center: the new default replaces the old one.
                var previous = await db.CenterProcessors.Where(cp => cp.CenterId == centerId && cp.IsDefault).ToListAsync(cancellationToken);
                previous.ForEach(cp => cp.IsDefault = false);
                if (previous.Count > 0)
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }

            var existing = processor.Id == 0 ? null
                : await db.CenterProcessors.FirstOrDefaultAsync(cp => cp.CenterId == centerId && cp.ProcessorId == processor.Id, cancellationToken);
            if (existing is null)
            {
                db.CenterProcessors.Add(new CenterProcessor { CenterId = centerId, Processor = processor, IsDefault = isDefault });
            }
            else
            {
                existing.IsDefault |= isDefault;
            }

            result.Add((key, isDefault || existing?.IsDefault == true));
        }

        return result;
    }

    private async Task<List<(long ProcessorId, string CenterKey, bool IsDefault)>> CenterUsesAsync(CancellationToken cancellationToken)
    {
        var rows = await db.CenterProcessors.AsNoTracking()
            .Select(cp => new { cp.ProcessorId, cp.Center!.CenterKey, cp.IsDefault })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.ProcessorId, r.CenterKey, r.IsDefault)).ToList();
    }

    private async Task<EndoscopyProcessor> FindProcessorAsync(string name, CancellationToken cancellationToken)
    {
        RequireProcessorName(name);
        return await db.EndoscopyProcessors.FirstOrDefaultAsync(p => p.Name == name, cancellationToken)
            ?? throw new OperatorException(OperatorErrorKind.UnknownProcessor, $"unknown processor '{name}'");
    }

    private async Task<long> CenterIdAsync(string centerKey, CancellationToken cancellationToken)
    {
        if (!CenterKeys.IsValid(centerKey))
        {
            throw new OperatorException(OperatorErrorKind.InvalidKey,
                $"invalid center key '{centerKey}': 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }

        var id = await db.Centers.AsNoTracking().Where(c => c.CenterKey == centerKey).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
        return id ?? throw new OperatorException(OperatorErrorKind.UnknownCenter, $"unknown center '{centerKey}'");
    }

    private Task<long?> SensitiveMetaIdAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.SensitiveMetas.AsNoTracking().Where(m => m.UploadJobId == jobId).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);

    private async Task SaveWithAuditAsync(string actor, string action, string target, Dictionary<string, string?> details, CancellationToken cancellationToken)
    {
        var detailsJson = JsonSerializer.Serialize(details, ProcessingJson.Default.DictionaryStringString);
        db.AuditEvents.Add(new AuditEvent { OccurredAt = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = detailsJson });
        await db.SaveChangesAsync(cancellationToken);
        OperatorAuditLog.OperatorAction(audit, action, actor, target, detailsJson);
    }

    private static UploadJobStatus ParseStatus(string status)
    {
        try
        {
            return WireNames.ParseStatus(status);
        }
        catch (FormatException)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument,
                $"unknown status '{status}': one of pending, processing, retrying, anonymized, error, lost");
        }
    }

    private static Guid ParseJobId(string id) =>
        Guid.TryParse(id, out var jobId) ? jobId : throw new OperatorException(OperatorErrorKind.InvalidArgument, $"'{id}' is not a job id (a UUID)");

    private static void RequireProcessorName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > NameMaxLength || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument,
                $"invalid processor name '{name}': 1 to {NameMaxLength} of a-z, 0-9, '_' and '-'");
        }
    }

    private static OperatorException UnknownJob(string id) => new(OperatorErrorKind.UnknownJob, $"unknown job '{id}'");

    private static OperatorException DuplicateProcessor(string name) => new(OperatorErrorKind.DuplicateProcessor, $"processor '{name}' already exists");
}
