using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.NodeHealth;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Operators.OperatorInput;

namespace LxAnnotate.Hub.Operators.Nodes;

/// <summary>
/// What <c>lxa-hub nodes add|list|show|activate|deactivate</c> do. Setting a state a node already has is no
/// change: it succeeds, reports <c>changed: false</c> and records nothing.
/// </summary>
internal sealed class NodeOperations(LxaDbContext db, OperatorAuditTrail audit, TimeProvider time)
{
    public async Task<NodeView> AddNodeAsync(string nodeKey, string centerKey, string? displayName, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        RequireCenterKey(centerKey);
        displayName = OptionalText(displayName, "--display-name", NameMaxLength);

        var center = await db.FindCenterAsync(centerKey, cancellationToken);
        if (await db.NetworkNodes.AnyAsync(n => n.NodeKey == nodeKey, cancellationToken))
        {
            throw SiteNodes.Duplicate(nodeKey);
        }

        var node = SiteNodes.New(nodeKey, displayName, center, time.GetUtcNow());
        db.NetworkNodes.Add(node);
        await audit.SaveAsync(actor, SiteNodes.AddedAction, SiteNodes.Target(nodeKey), SiteNodes.AddedDetails(node, centerKey),
            () => SiteNodes.Duplicate(nodeKey), cancellationToken);
        return NodeView.From(node, time.GetUtcNow());
    }

    /// <param name="centerKey">Only the nodes of this center, when given.</param>
    public async Task<IReadOnlyList<NodeView>> ListNodesAsync(string? centerKey, CancellationToken cancellationToken)
    {
        var query = db.NetworkNodes.AsNoTracking().Include(n => n.OwningCenter).Include(n => n.Certificates).AsQueryable();
        if (centerKey is not null)
        {
            RequireCenterKey(centerKey);
            var center = await db.FindCenterAsync(centerKey, cancellationToken);
            query = query.Where(n => n.OwningCenterId == center.Id);
        }

        var nodes = await query.AsSplitQuery().ToListAsync(cancellationToken);
        var latest = await db.LatestHealthAsync(nodes.Select(n => n.Id).ToList(), cancellationToken);
        var now = time.GetUtcNow();
        return nodes.OrderBy(n => n.NodeKey, StringComparer.Ordinal).Select(n => NodeView.From(n, now, latest.GetValueOrDefault(n.Id))).ToList();
    }

    /// <summary>One node with its certificates and latest heartbeat (<c>nodes show</c>).</summary>
    public async Task<NodeView> ShowNodeAsync(string nodeKey, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var node = await db.FindNodeAsync(nodeKey, cancellationToken, tracking: false);
        var latest = await db.LatestHealthAsync([node.Id], cancellationToken);
        return NodeView.From(node, time.GetUtcNow(), latest.GetValueOrDefault(node.Id));
    }

    /// <summary>Activates or deactivates a node; a deactivated node's certificates stop authenticating at once.</summary>
    public async Task<NodeActivation> SetNodeActiveAsync(string nodeKey, bool active, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var node = await db.FindNodeAsync(nodeKey, cancellationToken);
        var changed = node.IsActive != active;
        if (changed)
        {
            node.IsActive = active;
            await audit.SaveAsync(actor, active ? "node_activated" : "node_deactivated", SiteNodes.Target(nodeKey),
                new() { ["center_key"] = node.OwningCenter!.CenterKey }, duplicate: null, cancellationToken);
        }

        return new NodeActivation(NodeView.From(node, time.GetUtcNow()), changed);
    }
}
