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
    public Task<bool> IsActiveAsync(string thumbprintSha256, CancellationToken cancellationToken) =>
        Registered(thumbprintSha256).AnyAsync(c => c.Status == NodeCertificateStatus.Active && c.Node!.IsActive, cancellationToken);

    private IQueryable<NodeCertificate> Registered(string thumbprintSha256) =>
        db.NodeCertificates.AsNoTracking().Where(c => c.ThumbprintSha256 == thumbprintSha256);
}
