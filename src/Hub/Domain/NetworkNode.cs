namespace LxAnnotate.Hub.Domain;

/// <summary>A site node (or another hub-facing sender) bound to exactly one center.</summary>
public sealed class NetworkNode
{
    public long Id { get; set; }

    public required string NodeKey { get; init; }

    public string? DisplayName { get; set; }

    /// <summary>Wire name of the node's deployment role, normally <c>site_node</c>.</summary>
    public required string Role { get; set; }

    public long OwningCenterId { get; set; }

    public Center? OwningCenter { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>
    /// Hash of the node's REST transfer secret (<c>X-Network-Node-Secret</c>) in Django's
    /// <c>pbkdf2_sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;base64&gt;</c> form, so hashes exported from a
    /// Python hub verify unchanged; null: the node cannot use the hub transfer REST endpoints.
    /// </summary>
    public string? SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<NodeCertificate> Certificates { get; } = [];
}
