using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace LxAnnotate.Hub.Tests.Processing.Worker;

/// <summary>
/// Makes the worker's result write (the fenced update that sets <c>error_detail</c>) fail the first
/// <paramref name="failures"/> times as a lost database connection does, as during a failover.
/// </summary>
internal sealed class CompletionOutageInterceptor(int failures) : DbCommandInterceptor
{
    private int failed;

    public int Failed => failed;

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            && command.CommandText.Contains("error_detail", StringComparison.Ordinal)
            && Interlocked.Increment(ref failed) <= failures)
        {
            throw new NpgsqlException("Exception while writing to stream", new IOException("Connection reset by peer"));
        }

        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }
}
