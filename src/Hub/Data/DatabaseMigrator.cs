using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Data;

/// <summary>Applies the committed migrations of the configured provider.</summary>
public sealed partial class DatabaseMigrator(LxaDbContext db, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Returns the migrations applied by this call; empty when the schema was current.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            LogSchemaCurrent(logger);
            return [];
        }

        // EF Core wraps each migration in a transaction on both providers (PostgreSQL DDL is
        // transactional; SQLite's rebuilds are too) and holds a migration lock, so a failed
        // migration leaves the schema as it was and two migrators never interleave.
        await db.Database.MigrateAsync(cancellationToken);

        if (db.Database.IsSqlite())
        {
            // WAL lets the watcher read while the hub writes; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        foreach (var migration in pending)
        {
            LogMigrationApplied(logger, migration);
        }

        return pending;
    }

    /// <summary>True when every committed migration is applied (the readiness check).</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken) =>
        !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    private static partial void LogMigrationApplied(ILogger logger, string migration);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Database schema is current; no migration to apply")]
    private static partial void LogSchemaCurrent(ILogger logger);
}
