using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary>
/// Makes the first <paramref name="failures"/> inserts of an upload job fail as a lost database connection does
/// (during a failover), before anything is committed or moved.
/// </summary>
internal sealed partial class JobInsertOutageInterceptor(int failures) : DbCommandInterceptor
{
    private int failed;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        FailIfDue(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FailIfDue(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void FailIfDue(DbCommand command)
    {
        // The insert into upload_jobs itself, not any command naming the table or a column (upload_job_id) in passing,
        // such as SQLite's copy of the transfers table when a migration rebuilds it.
        if (JobInsert().IsMatch(command.CommandText)
            && Interlocked.Increment(ref failed) <= failures)
        {
            throw new NpgsqlException("Exception while writing to stream", new IOException("Connection reset by peer"));
        }
    }

    [GeneratedRegex(@"INSERT\s+INTO\s+""?upload_jobs""?\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex JobInsert();
}
