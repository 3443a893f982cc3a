using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LxAnnotate.Hub.Data;

public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>What a caller is told when <see cref="IsUnavailable"/> holds.</summary>
    public const string UnavailableMessage = "The hub's database is unavailable; nothing was stored. Try again later.";

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

    /// <summary>
    /// True when the database could not be reached or went away during the call (a connection refused or broken, a
    /// server shutting down, a timeout), as opposed to a refusal of the statement: a caller should try again later.
    /// The execution strategy wraps such failures in an <see cref="InvalidOperationException"/> ("likely due to a
    /// transient failure"), so the chain of inner exceptions is searched.
    /// </summary>
    public static bool IsUnavailable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.IsTransient;
                case NpgsqlException npgsql when npgsql.IsTransient || IsNoSuitableHost(npgsql):
                case TimeoutException:
                case System.Net.Sockets.SocketException:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsUnavailable);
            }
        }

        return false;
    }

    /// <summary>
    /// With several hosts in the connection string Npgsql reports "no suitable host" when none it may use answers as
    /// the primary: during a failover, the old primary down and the promoted standby still remembered as a standby
    /// (for <c>Host Recheck Seconds</c>). That is an outage, not a refusal. The failures of the single hosts, when
    /// there were some, come inside as an <see cref="AggregateException"/>, which the caller's loop searches.
    /// </summary>
    private static bool IsNoSuitableHost(NpgsqlException ex) =>
        ex.GetType() == typeof(NpgsqlException) && ex.InnerException is null
        && ex.Message.StartsWith("No suitable host", StringComparison.Ordinal);
}
