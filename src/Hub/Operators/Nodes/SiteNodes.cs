using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Operators.Nodes;

/// <summary>
/// A site node as operators add it, by <c>nodes add</c> or by <c>nodes enroll</c> for a node not yet
/// known: the same row, the same <c>node_added</c> audit event.
/// </summary>
internal static class SiteNodes
{
    public const string AddedAction = "node_added";

    public static NetworkNode New(string nodeKey, string? displayName, Center center, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(center);
        return new NetworkNode
        {
            NodeKey = nodeKey,
            DisplayName = displayName,
            Role = DeploymentRole.SiteNode.ToWireName(),
            OwningCenterId = center.Id,
            OwningCenter = center,
            CreatedAt = createdAt,
        };
    }

    public static Dictionary<string, string?> AddedDetails(NetworkNode node, string centerKey)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new() { ["center_key"] = centerKey, ["display_name"] = node.DisplayName, ["role"] = node.Role };
    }

    public static string Target(string nodeKey) => OperatorAuditTrail.Target("node", nodeKey);

    public static OperatorException Duplicate(string nodeKey) =>
        new(OperatorErrorKind.DuplicateNode, $"node '{nodeKey}' already exists");
}
