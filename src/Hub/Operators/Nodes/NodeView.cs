using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.NodeHealth;
using LxAnnotate.Hub.Operators.Certificates;

namespace LxAnnotate.Hub.Operators.Nodes;

internal sealed record NodeView(
    string NodeKey,
    string CenterKey,
    string? DisplayName,
    string Role,
    bool Active,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CertificateView> Certificates,
    NodeHealthView? Health = null)
{
    /// <summary><paramref name="node"/> with its owning center and certificates loaded; <paramref name="health"/> its latest heartbeat, if any.</summary>
    public static NodeView From(NetworkNode node, DateTimeOffset now, NodeHealthView? health = null) => new(
        node.NodeKey,
        node.OwningCenter!.CenterKey,
        node.DisplayName,
        node.Role,
        node.IsActive,
        node.CreatedAt,
        CertificateView.ListOf(node.NodeKey, node.Certificates, now),
        health);
}
