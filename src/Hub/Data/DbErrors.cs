using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LxAnnotate.Hub.Data;

public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>True when a unique index refused the write, on either provider.</summary>
    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.SqliteExtendedErrorCode == SqliteConstraintUnique,
        _ => false,
    };

    /// <summary>
    /// True when PostgreSQL ended the transaction to break a deadlock (SQLite serializes writers and has none). The
    /// provider's execution strategy reports it, as a transient failure, inside an <see cref="InvalidOperationException"/>.
    /// </summary>
    public static bool IsDeadlock(Exception ex) => ex switch
    {
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } } => true,
        InvalidOperationException { InnerException: DbUpdateException inner } => IsDeadlock(inner),
        _ => false,
    };
}
