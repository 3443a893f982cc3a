using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The transfers of the operator's centers, newest first, optionally of one state.</summary>
internal sealed class ConsoleTransferQueries(LxaDbContext db)
{
    public const int ListLimit = 200;

    public async Task<IReadOnlyList<TransferRow>> ListAsync(ConsoleOperator user, TransferState? state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var centers = db.Centers.AsNoTracking();
        if (!user.HubWide)
        {
            var keys = user.Centers.ToList();
            centers = centers.Where(c => keys.Contains(c.CenterKey));
        }

        var transfers = db.Transfers.AsNoTracking();
        if (state is { } wanted)
        {
            transfers = transfers.Where(t => t.State == wanted);
        }

        var rows = await transfers.Join(centers, t => t.CenterId, c => c.Id, (t, c) => new { Transfer = t, c.CenterKey })
            .OrderByDescending(r => r.Transfer.CreatedAt).Take(ListLimit).ToListAsync(cancellationToken);
        return rows.Select(r => TransferRow.Of(r.Transfer, r.CenterKey)).ToList();
    }
}
