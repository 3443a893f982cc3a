using LxAnnotate.Hub.Data;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The audit log, newest first: actor and action match exactly, the target by prefix (<c>node:</c>, <c>node:site-a</c>).</summary>
internal sealed class ConsoleAuditQueries(LxaDbContext db)
{
    public const int ListLimit = 200;

    public async Task<IReadOnlyList<AuditRow>> ListAsync(string? actor, string? action, string? target, CancellationToken cancellationToken)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (actor is not null)
        {
            query = query.Where(e => e.Actor == actor);
        }

        if (action is not null)
        {
            query = query.Where(e => e.Action == action);
        }

        if (target is not null)
        {
            query = query.Where(e => e.Target.StartsWith(target));
        }

        return await query.OrderByDescending(e => e.Id).Take(ListLimit)
            .Select(e => new AuditRow(e.Id, e.OccurredAt, e.Actor, e.Action, e.Target, e.Details)).ToListAsync(cancellationToken);
    }
}
