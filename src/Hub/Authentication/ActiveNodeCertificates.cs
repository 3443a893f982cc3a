using System.Data.Common;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// The one query for "an active certificate of an active node", asked with no cache: at authentication, and by
/// the transfer receiver before every chunk, so a revocation or deactivation applies at once.
/// </summary>
internal sealed class ActiveNodeCertificates(LxaDbContext db)
{
    /// <summary>The registration of <paramref name="thumbprintSha256"/>, or null when no node has it.</summary>
    public Task<NodeCertificateStanding?> FindAsync(string thumbprintSha256, CancellationToken cancellationToken) =>
        Registered(thumbprintSha256)
            .Select(c => new NodeCertificateStanding(c.Status, c.Node!.NodeKey, c.Node.IsActive, c.Node.OwningCenter!.CenterKey))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// True while <paramref name="thumbprintSha256"/> is an active certificate of an active node (the same rule as
    /// <see cref="NodeCertificateStanding.IsActive"/>). Asked before every chunk, so it is one existence query
    /// without the projection authentication needs.
    /// </summary>
    /// <param name="session">
    /// A PostgreSQL session the caller holds already (a transfer's lock session), asked directly: a stream then
    /// takes no connection from the pool and builds no query per chunk. Null asks through the context.
    /// </param>
    public async Task<bool> IsActiveAsync(string thumbprintSha256, DbConnection? session, CancellationToken cancellationToken)
    {
        if (session is null)
        {
            return await Registered(thumbprintSha256).AnyAsync(c => c.Status == NodeCertificateStatus.Active && c.Node!.IsActive, cancellationToken);
        }

        // The same rule as the query above, by the names of the mapped tables (network_node_certificates, network_nodes).
        await using var command = session.CreateCommand();
        command.CommandText = StandingSql;
        command.Parameters.Add(Positional(command, thumbprintSha256));
        command.Parameters.Add(Positional(command, NodeCertificateStatus.Active.ToWire()));
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private const string StandingSql = """
        SELECT EXISTS (SELECT 1 FROM network_node_certificates c JOIN network_nodes n ON n.id = c.node_id
                       WHERE c.thumbprint_sha256 = $1 AND c.status = $2 AND n.is_active)
        """;

    private static DbParameter Positional(DbCommand command, string value)
    {
        var parameter = command.CreateParameter();
        parameter.Value = value;
        return parameter;
    }

    private IQueryable<NodeCertificate> Registered(string thumbprintSha256) =>
        db.NodeCertificates.AsNoTracking().Where(c => c.ThumbprintSha256 == thumbprintSha256);
}
