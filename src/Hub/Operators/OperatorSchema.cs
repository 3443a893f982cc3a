using LxAnnotate.Hub.Data;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Operators;

/// <summary>The check every operator command makes before its one call.</summary>
internal sealed class OperatorSchema(LxaDbContext db)
{
    /// <summary>Refuses to work on a database <c>lxa-hub migrate</c> has not brought up to date.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            throw new OperatorException(OperatorErrorKind.SchemaNotCurrent,
                "the database schema is not current; run 'lxa-hub migrate' first");
        }
    }
}
