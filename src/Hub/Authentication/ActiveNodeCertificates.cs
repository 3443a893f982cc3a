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
        db.NodeCertificates.AsNoTracking()
            .Where(c => c.ThumbprintSha256 == thumbprintSha256)
            .Select(c => new NodeCertificateStanding(c.Status, c.Node!.NodeKey, c.Node.IsActive, c.Node.OwningCenter!.CenterKey))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>True while <paramref name="thumbprintSha256"/> is an active certificate of an active node.</summary>
    public async Task<bool> IsActiveAsync(string thumbprintSha256, CancellationToken cancellationToken) =>
        (await FindAsync(thumbprintSha256, cancellationToken))?.IsActive == true;
}
