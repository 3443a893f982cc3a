using LxAnnotate.Hub.Data;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Coordination;

/// <summary>
/// Locks that every replica on the database sees: on PostgreSQL a session advisory lock on a dedicated connection
/// (it dies with its session, so a killed replica never keeps one); on SQLite, where the hub is one process, a
/// lock in memory.
/// </summary>
internal sealed class DatabaseLocks(LxaDbContext db, InProcessLockTable local, ReplicaIdentity replica)
{
    /// <summary>The lock of <paramref name="key"/>, or null at once when someone (this process included) holds it.</summary>
    /// <param name="purpose">A word for the PostgreSQL application name, e.g. <c>transfer</c> or <c>lease</c>.</param>
    public async Task<IHeldLock?> TryAcquireAsync(long key, string purpose, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return local.TryAcquire(key);
        }

        var connectionString = db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The database context has no connection string.");
        return await PostgresAdvisoryLock.TryAcquireAsync(connectionString, ApplicationName(purpose), key, cancellationToken);
    }

    /// <summary>The replica that holds <paramref name="key"/> as its sessions name it, or null when nobody holds it.</summary>
    public async Task<string?> HolderAsync(long key, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return local.IsHeld(key) ? replica.Id : null;
        }

        // A bigint advisory key shows in pg_locks as classid (high half), objid (low half), objsubid 1; advisory
        // locks are per database, while pg_locks lists the whole cluster's (other deployments' too).
        var high = (key >> 32) & 0xFFFF_FFFF;
        var low = key & 0xFFFF_FFFF;
        var names = await db.Database.SqlQuery<string>($"""
            SELECT a.application_name AS "Value" FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = {high} AND l.objid::bigint = {low}
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """).ToListAsync(cancellationToken);
        return names.Count == 0 ? null : ReplicaOf(names[0]);
    }

    private string ApplicationName(string purpose) => $"{Prefix}{replica.Id} {purpose}";

    private const string Prefix = "lxa-hub ";

    private static string ReplicaOf(string applicationName) =>
        applicationName.StartsWith(Prefix, StringComparison.Ordinal) && applicationName.IndexOf(' ', Prefix.Length) is var end and > 0
            ? applicationName[Prefix.Length..end]
            : applicationName;
}
