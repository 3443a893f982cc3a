using System.Globalization;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.PythonEraTransfers;
using LxAnnotate.Hub.Operators.Nodes;
using static LxAnnotate.Hub.Operators.OperatorInput;

namespace LxAnnotate.Hub.Operators.Secrets;

/// <summary>
/// What <c>lxa-hub nodes set-secret|import-secret-hash</c> do: the node's hub transfer secret
/// (<c>X-Network-Node-Secret</c>) is stored as its Django-compatible PBKDF2 hash only.
/// </summary>
internal sealed class NodeSecretOperations(LxaDbContext db, OperatorAuditTrail audit)
{
    /// <summary>
    /// Sets the node's secret by storing its hash. The secret itself is neither stored nor logged; the
    /// audit event names only the node.
    /// </summary>
    public async Task<NodeSecretView> SetNodeSecretAsync(string nodeKey, string secret, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 16 || secret.Length > 512 || secret.Any(char.IsControl))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "the secret must be 16 to 512 printable characters (one line on stdin)");
        }

        return await StoreSecretHashAsync(nodeKey, NodeSecretHash.Create(secret), "node_secret_set", actor, cancellationToken);
    }

    /// <summary>Stores a <c>pbkdf2_sha256$…</c> hash exported from a Python hub, checked for form only.</summary>
    public async Task<NodeSecretView> ImportNodeSecretHashAsync(string nodeKey, string hash, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        ArgumentNullException.ThrowIfNull(hash);
        hash = hash.Trim();
        if (NodeSecretHash.Problem(hash) is { } problem)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "invalid secret hash: " + problem);
        }

        return await StoreSecretHashAsync(nodeKey, hash, "node_secret_hash_imported", actor, cancellationToken);
    }

    private async Task<NodeSecretView> StoreSecretHashAsync(string nodeKey, string hash, string action, string actor, CancellationToken cancellationToken)
    {
        var node = await db.FindNodeAsync(nodeKey, cancellationToken);
        var replaced = node.SecretHash is not null;
        node.SecretHash = hash;
        var iterations = int.Parse(hash.Split('$')[1], NumberStyles.None, CultureInfo.InvariantCulture);
        await audit.SaveAsync(actor, action, SiteNodes.Target(nodeKey),
            new() { ["center_key"] = node.OwningCenter!.CenterKey, ["replaced"] = replaced ? "true" : "false" }, duplicate: null, cancellationToken);
        return new NodeSecretView(nodeKey, node.OwningCenter!.CenterKey, NodeSecretHash.Algorithm, iterations, replaced);
    }
}
