using System.Data.Common;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// The one transaction that records new jobs: their rows are inserted and their staged files moved into place
/// together, or neither happens.
/// </summary>
internal sealed class JobInserter(LxaDbContext db, ContentStore store)
{
    /// <summary>
    /// Inserts the jobs and moves their files inside one transaction; false, with nothing inserted or moved, when a
    /// unique index refused one of them or PostgreSQL ended the transaction to break a deadlock with a concurrent ingest.
    /// </summary>
    public async Task<bool> TryInsertAsync(IReadOnlyList<(UploadJob Job, StagedContent Staged)> jobs, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await TryInsertRowsAsync(transaction, jobs, cancellationToken))
        {
            return false;
        }

        await MoveFilesAndCommitAsync(transaction, jobs);
        foreach (var (job, _) in jobs)
        {
            db.Entry(job).State = EntityState.Detached;
        }

        return true;
    }

    private async Task<bool> TryInsertRowsAsync(
        IDbContextTransaction transaction, IReadOnlyList<(UploadJob Job, StagedContent Staged)> jobs, CancellationToken cancellationToken)
    {
        // A failed insert rolls back the whole transaction; a savepoint around it would only add two round trips.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;

        db.UploadJobs.AddRange(jobs.Select(j => j.Job));
        try
        {
            // The inserts take the unique-index entries; a concurrent twin waits on them and then fails,
            // so only one of them ever reaches the file moves.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when ((ex is DbUpdateException update && DbErrors.IsUniqueViolation(update)) || DbErrors.IsDeadlock(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return false;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    private async Task MoveFilesAndCommitAsync(IDbContextTransaction transaction, IReadOnlyList<(UploadJob Job, StagedContent Staged)> jobs)
    {
        var moved = new List<string>(jobs.Count);
        try
        {
            foreach (var (job, staged) in jobs)
            {
                store.Commit(staged, job.StoragePath);
                moved.Add(job.StoragePath);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            // Rolled back first, so the check that follows sees only committed jobs: a file another job points at stays.
            await RollBackQuietlyAsync(transaction);
            db.ChangeTracker.Clear();
            await DeleteUnreferencedAsync(moved);
            throw;
        }
    }

    private async Task DeleteUnreferencedAsync(List<string> relativePaths)
    {
        foreach (var relativePath in relativePaths)
        {
            var referenced = await db.UploadJobs.AsNoTracking().AnyAsync(j => j.StoragePath == relativePath, CancellationToken.None);
            if (!referenced)
            {
                ContentStore.DeleteQuietly(store.AbsolutePath(relativePath));
            }
        }
    }

    private static async Task RollBackQuietlyAsync(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DbException)
        {
            // A failed commit has already ended the transaction.
        }
    }
}
