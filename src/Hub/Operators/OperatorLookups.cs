using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Operators;

/// <summary>The center or node a command names, or the refusal that it is unknown.</summary>
internal static class OperatorLookups
{
    public static async Task<Center> FindCenterAsync(this LxaDbContext db, string centerKey, CancellationToken cancellationToken) =>
        await db.Centers.FirstOrDefaultAsync(c => c.CenterKey == centerKey, cancellationToken)
            ?? throw new OperatorException(OperatorErrorKind.UnknownCenter, $"unknown center '{centerKey}'");

    /// <returns>The node with its owning center and certificates.</returns>
    public static async Task<NetworkNode> FindNodeAsync(this LxaDbContext db, string nodeKey, CancellationToken cancellationToken, bool tracking = true)
    {
        var nodes = tracking ? db.NetworkNodes : db.NetworkNodes.AsNoTracking();
        return await nodes.Include(n => n.OwningCenter).Include(n => n.Certificates)
                .AsSplitQuery()
                .FirstOrDefaultAsync(n => n.NodeKey == nodeKey, cancellationToken)
            ?? throw new OperatorException(OperatorErrorKind.UnknownNode, $"unknown node '{nodeKey}'");
    }
}
