using System.Globalization;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// <c>lxa-hub import-python</c>: reads the original's database once, maps its centers, then imports its upload jobs
/// one by one (files first, rows in one transaction per job) and finally checks the patient hashes. Jobs without a
/// center, with a missing or changed file, or colliding with an active job here are reported and skipped; the rest
/// of the run goes on. The source database and storage are only read.
/// </summary>
internal sealed class PythonImporter(LxaDbContext db, ImportFileCopier copier, SensitiveArtifactWriter writer, ImportAudit audit, TextWriter output)
{
    /// <param name="salt">The hash salt, or null when none is configured (the hash check is then skipped and says so).</param>
    public async Task<ImportCounts> RunAsync(string connectionString, string sourceRoot, bool dryRun, string? salt, ImportPauseHook pause, CancellationToken cancellationToken)
    {
        var snapshot = await PythonSourceReader.ReadAsync(connectionString, cancellationToken);
        var counts = new ImportCounts();
        var prefix = dryRun ? "dry run: " : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}source: endoreg-db {(snapshot.Line == PythonSchemaLine.V10 ? "1.0.x" : "0.7")} schema; {snapshot.Centers.Count} center(s), {snapshot.Jobs.Count} upload job(s), {JobPlanner.UnlinkedMedia(snapshot).Count()} report/video file(s) without one, {snapshot.SensitiveMetas.Count} sensitive meta row(s)"));
        var centers = await CenterImporter.ImportAsync(db, snapshot.Centers, dryRun, counts, audit, cancellationToken);
        var plans = JobPlanner.Plan(snapshot);
        var present = (await db.UploadJobs.AsNoTracking().Select(j => j.Id).ToListAsync(cancellationToken)).ToHashSet();
        var importer = new JobImporter(db, copier, writer, sourceRoot, output, pause, audit);
        foreach (var plan in plans)
        {
            if (present.Contains(plan.Job.Id))
            {
                counts.JobsPresent++;
                continue;
            }

            if (plan.CenterId is not { } centerId)
            {
                counts.JobsUnassignable++;
                await output.WriteLineAsync($"{prefix}unassignable job {plan.Job.Id}: {plan.Unassignable}");
                continue;
            }

            var problem = await ImportOneAsync(importer, plan, centers[centerId], dryRun, counts, cancellationToken);
            if (problem is null)
            {
                counts.JobsImported++;
                continue;
            }

            counts.JobsFailed += problem.StartsWith("an active job", StringComparison.Ordinal) ? 0 : 1;
            await output.WriteLineAsync($"{prefix}job {plan.Job.Id} not imported: {problem}");
        }

        if (salt is null)
        {
            counts.HashCheckSkipped = true;
        }
        else
        {
            var names = centers.ToDictionary(c => c.Key, c => c.Value.Name);
            await HashCheck.RunAsync(db, writer, plans, names, salt, dryRun, counts, cancellationToken);
        }

        await WriteSummaryAsync(counts, prefix);
        return counts;
    }

    /// <summary>
    /// One job; a file that cannot be read or verified, or a row another writer inserted meanwhile, fails this job only
    /// (reported), and the run goes on with the next.
    /// </summary>
    private async Task<string?> ImportOneAsync(JobImporter importer, PlannedJob plan, Domain.Center center, bool dryRun, ImportCounts counts, CancellationToken cancellationToken)
    {
        try
        {
            return await importer.ImportAsync(plan, center, dryRun, counts, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or DbUpdateException)
        {
            db.ChangeTracker.Clear();
            // A provider message names the constraint, never the row's values.
            return ex is DbUpdateException
                ? "its rows could not be written (another run may have imported it meanwhile): " + (ex.InnerException ?? ex).Message.ReplaceLineEndings(" ")
                : ex.Message;
        }
    }

    /// <summary>The salt the hash check uses: <c>DJANGO_SALT</c> / <c>DJANGO_SALT_FILE</c>, or null (check skipped) when unset or refused.</summary>
    public static string? SaltOrNull(Func<string, string?> read, TextWriter output)
    {
        try
        {
            return DjangoSalt.Resolve(read);
        }
        catch (ConfigurationContractException ex)
        {
            output.WriteLine($"hash check skipped: {ex.Message}");
            return null;
        }
    }

    private async Task WriteSummaryAsync(ImportCounts c, string prefix)
    {
        var verb = prefix.Length > 0 ? "to create" : "created";
        var lines = new[]
        {
            $"centers: {c.CentersCreated} {verb}, {c.CentersPresent} already present",
            $"upload jobs: {c.JobsImported} {(prefix.Length > 0 ? "to import" : "imported")}, {c.JobsPresent} already imported, {c.JobsUnassignable} unassignable, {c.JobsConflicting} conflicting, {c.JobsFailed} failed",
            $"files: {c.FilesCopied} {(prefix.Length > 0 ? "to copy" : "copied")} ({c.BytesCopied} bytes), {c.FilesPresent} already in place",
            $"sensitive meta: {c.SensitiveMetas}; processed outputs: {c.ProcessedArtifacts}",
            c.HashCheckSkipped
                ? "hash check: skipped (no salt configured)"
                : $"hash check: {c.HashesEqual} equal, {c.HashesDiffering} differ, {c.HashesNotStored} not stored by the original",
        };
        foreach (var line in lines)
        {
            await output.WriteLineAsync(prefix + line.ToString(CultureInfo.InvariantCulture));
        }
    }
}
