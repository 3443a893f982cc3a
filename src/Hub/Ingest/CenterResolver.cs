using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// Finds the center an artifact lands in: loads the centers a request may name and asks
/// <see cref="CenterPolicy"/>, the one place where <c>center_key</c> is enforced, which of them it is.
/// </summary>
internal sealed class CenterResolver(LxaDbContext db, LxaRuntimeSettings settings, ILogger audit)
{
    /// <summary>Validates the metadata and decides the center of one request, before any byte is stored.</summary>
    public async Task<Center> ResolveAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        if (IngestMetadataValidator.Validate(request) is { } problem)
        {
            throw AuditLog.Reject(audit, request, IngestRejectionReason.InvalidInput, problem);
        }

        var known = await LoadCandidatesAsync([request], cancellationToken);
        return Decide(request, known);
    }

    /// <summary>The centers any of <paramref name="requests"/> may resolve to, by key, in one query.</summary>
    public async Task<Dictionary<string, Center>> LoadCandidatesAsync(IEnumerable<IngestRequest> requests, CancellationToken cancellationToken)
    {
        var candidates = requests
            .SelectMany(r => new[] { r.DeclaredCenterKey?.Trim(), settings.DefaultCenterKey, r.Caller.NodeCenterKey })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return await db.Centers.AsNoTracking()
            .Where(c => candidates.Contains(c.CenterKey))
            .ToDictionaryAsync(c => c.CenterKey, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>Decides the center of a request with valid metadata among <paramref name="known"/>, or refuses the request.</summary>
    public Center Decide(IngestRequest request, Dictionary<string, Center> known)
    {
        var decision = CenterPolicy.Resolve(
            settings.Role, request.Boundary, request.DeclaredCenterKey, request.Caller, settings.DefaultCenterKey, known.ContainsKey);
        if (!decision.IsResolved)
        {
            throw AuditLog.Reject(audit, request, decision.Rejection!.Value, decision.Message);
        }

        AuditLog.CenterResolved(audit, request, decision);
        return known[decision.CenterKey!];
    }
}
