using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators.Certificates;

namespace LxAnnotate.Hub.Operators.Nodes;

internal sealed record NodeView(
    string NodeKey,
    string CenterKey,
    string? DisplayName,
    string Role,
    bool Active,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CertificateView> Certificates)
{
    /// <summary><paramref name="node"/> with its owning center and certificates loaded.</summary>
    public static NodeView From(NetworkNode node, DateTimeOffset now) => new(
        node.NodeKey,
        node.OwningCenter!.CenterKey,
        node.DisplayName,
        node.Role,
        node.IsActive,
        node.CreatedAt,
        CertificateView.ListOf(node.NodeKey, node.Certificates, now));
}
