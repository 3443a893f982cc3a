using System.Globalization;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Imports one upload job: its files are copied (and verified) first, then the job, its sensitive meta and its
/// processed outputs are inserted in one transaction. The job's id is the original's, so a job already in our
/// database was imported by an earlier run and is left alone: a second run changes nothing, and a run after a crash
/// finds the files it had copied and only inserts the rows.
/// </summary>
internal sealed class JobImporter(LxaDbContext db, ImportFileCopier copier, SensitiveArtifactWriter writer, string sourceRoot, TextWriter output, ImportPauseHook pause, ImportAudit audit)
{
    /// <returns>Null when the job was imported (or would be, in a dry run); otherwise why not.</returns>
    public async Task<string?> ImportAsync(PlannedJob plan, Center center, bool dryRun, ImportCounts counts, CancellationToken cancellationToken)
    {
        var job = plan.Job;
        if (JobStatusMapping.Map(job.Status) is not { } status)
        {
            return $"unknown status '{job.Status}'";
        }

        if (ImportedRows.TooLong(plan) is { } tooLong)
        {
            return tooLong;
        }

        var upload = await InspectAsync(job.File, cancellationToken);
        if (upload.Problem is { } problem)
        {
            return problem;
        }

        var source = upload.Source!;
        if (job.ContentHash.Length > 0 && !string.Equals(job.ContentHash, source.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return "its file does not match the content_hash the original recorded";
        }

        var storageClass = source.OpenCiphertext is not null
            ? StorageClasses.Encrypted
            : StorageClasses.Decide(StorageClasses.Managed, plan.ContentType, copier.CanDecrypt)!;
        var conflict = await ConflictAsync(plan, center, source.Sha256, status.Status, cancellationToken);
        if (conflict is not null)
        {
            counts.JobsConflicting++;
            return conflict;
        }

        var uploadOutput = new PlannedOutput("upload", source, ContentStore.RelativePathFor(center.CenterKey, source.Sha256, plan.ContentType, storageClass), storageClass);
        var outputs = await OutputsAsync(plan, center, cancellationToken);
        if (outputs.Problem is { } outputProblem)
        {
            return outputProblem;
        }

        await CopyFilesAsync([uploadOutput, .. outputs.Outputs!], dryRun, counts, cancellationToken);
        counts.SensitiveMetas += plan.Meta is null ? 0 : 1;
        counts.ProcessedArtifacts += outputs.Outputs!.Count;
        if (dryRun)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"dry run: would import job {job.Id} ({center.CenterKey}, {status.Status.ToWire()}, {outputs.Outputs!.Count} output(s))"));
            return null;
        }

        await pause.AfterCopyAsync(cancellationToken);
        await InsertAsync(plan, center, status, uploadOutput, outputs.Outputs!, cancellationToken);
        return null;
    }

    /// <summary>Copies each file that is not there yet (a dry run only counts them).</summary>
    private async Task CopyFilesAsync(IReadOnlyList<PlannedOutput> files, bool dryRun, ImportCounts counts, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var copied = dryRun ? !copier.Exists(file.RelativePath) : await copier.CopyAsync(file.Source, file.RelativePath, file.StorageClass, cancellationToken);
            counts.FilesCopied += copied ? 1 : 0;
            counts.FilesPresent += copied ? 0 : 1;
            counts.BytesCopied += copied ? file.Source.SizeBytes : 0;
        }
    }

    private async Task<(ImportSource? Source, string? Problem)> InspectAsync(string relativePath, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Join(sourceRoot, relativePath));
        if (!path.StartsWith(Path.GetFullPath(sourceRoot).TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return (null, $"its file '{relativePath}' lies outside the source storage root");
        }

        if (!File.Exists(path))
        {
            return (null, $"its file '{relativePath}' is missing under the source storage root");
        }

        if (LxEnc01.IsEncryptedFile(path) && !copier.CanDecrypt)
        {
            return (null, $"its file '{relativePath}' is an LXENC01 file and no master key is configured");
        }

        return (await copier.InspectFileAsync(path, cancellationToken), null);
    }

    private async Task<string?> ConflictAsync(PlannedJob plan, Center center, string sha256, UploadJobStatus status, CancellationToken cancellationToken)
    {
        if (status is UploadJobStatus.Error or UploadJobStatus.Lost)
        {
            return null;
        }

        var active = db.UploadJobs.AsNoTracking()
            .Where(j => j.SourceCenterId == center.Id && j.Id != plan.Job.Id && j.Status != UploadJobStatus.Error && j.Status != UploadJobStatus.Lost);
        var sameContent = await active.Where(j => j.ContentType == plan.ContentType && j.ContentHash == sha256).Select(j => (Guid?)j.Id).FirstOrDefaultAsync(cancellationToken);
        if (sameContent is { } other)
        {
            return $"an active job {other} of center '{center.CenterKey}' already holds the same content";
        }

        var key = plan.Job.IdempotencyKey;
        var mode = WireNames.ParseIngestMode(plan.Job.IngestMode);
        var sameKey = key.Length == 0 ? null : await active
            .Where(j => j.SourceSystem == plan.Job.SourceSystem && j.IngestMode == mode && j.IdempotencyKey == key)
            .Select(j => (Guid?)j.Id).FirstOrDefaultAsync(cancellationToken);
        return sameKey is { } keyed ? $"an active job {keyed} of center '{center.CenterKey}' already has its idempotency key" : null;
    }

    private async Task<(List<PlannedOutput>? Outputs, string? Problem)> OutputsAsync(PlannedJob plan, Center center, CancellationToken cancellationToken)
    {
        var outputs = new List<PlannedOutput>();
        if (plan.Media is not { } media)
        {
            return (outputs, null);
        }

        var stem = Path.Join("processed", center.CenterKey, plan.Job.Id.ToString("N"));
        var sensitiveClass = copier.CanDecrypt ? StorageClasses.Encrypted : StorageClasses.Managed;
        string Sensitive(string path) => copier.CanDecrypt ? path + ContentStore.EncryptedSuffix : path;
        if (media.ProcessedFile is { } processed)
        {
            var inspected = await InspectAsync(processed, cancellationToken);
            if (inspected.Problem is { } problem)
            {
                return (null, "processed output: " + problem);
            }

            outputs.Add(media.IsVideo
                ? new PlannedOutput(JobPipeline.MaskedVideoKind, inspected.Source!, stem + ".mp4", StorageClasses.Managed)
                : new PlannedOutput(PdfReportProcessor.AnonymizedPdfKind, inspected.Source!, Sensitive(stem + ".anonymized.pdf"), sensitiveClass));
        }

        if (media.Text is { } text)
        {
            outputs.Add(new PlannedOutput(PdfReportProcessor.ReportTextKind, ImportFileCopier.FromText(text), Sensitive(stem + ".report.txt"), sensitiveClass));
        }

        if (media.AnonymizedText is { } anonymized)
        {
            outputs.Add(new PlannedOutput(PdfReportProcessor.AnonymizedTextKind, ImportFileCopier.FromText(anonymized), Sensitive(stem + ".anonymized.txt"), sensitiveClass));
        }

        return (outputs, null);
    }

    private async Task InsertAsync(PlannedJob plan, Center center, (UploadJobStatus Status, UploadJobErrorCode? ErrorCode) status, PlannedOutput upload, List<PlannedOutput> outputs, CancellationToken cancellationToken)
    {
        var job = ImportedRows.Job(plan, center, upload);
        var masked = outputs.FirstOrDefault(o => o.Kind == JobPipeline.MaskedVideoKind);
        job.ProcessedVideoHash = masked?.Source.Sha256;
        job.ProcessedAt = status.Status == UploadJobStatus.Anonymized ? plan.Job.UpdatedAt : null;
        var meta = plan.Meta is null ? null : await ImportedRows.SensitiveMetaAsync(plan, center, writer, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.UploadJobs.Add(job);
        var entry = db.Entry(job);
        entry.Property(j => j.Status).CurrentValue = status.Status;
        entry.Property(j => j.ErrorCode).CurrentValue = status.ErrorCode;
        entry.Property(j => j.ErrorDetail).CurrentValue = status.ErrorCode is null || plan.Job.ErrorDetail.Length == 0 ? null : plan.Job.ErrorDetail;
        if (meta is not null)
        {
            db.SensitiveMetas.Add(meta);
        }

        db.ProcessedArtifacts.AddRange(outputs.Select(o => new ProcessedArtifact
        {
            UploadJobId = job.Id,
            Kind = o.Kind,
            StorageClass = o.StorageClass,
            RelativePath = o.RelativePath,
            SizeBytes = o.Source.SizeBytes,
            Sha256 = o.Source.Sha256,
            CreatedAt = plan.Job.UpdatedAt,
        }));
        var added = audit.Add("upload_job_imported", "upload_job", job.Id.ToString(), new()
        {
            ["center_key"] = center.CenterKey,
            ["status"] = status.Status.ToWire(),
            ["content_hash"] = job.ContentHash,
            ["imported_from"] = "python",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        audit.Log(added);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imported job {job.Id} ({center.CenterKey}, {status.Status.ToWire()}, {outputs.Count} output(s))"));
    }
}
