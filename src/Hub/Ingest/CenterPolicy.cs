using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// Which center an artifact lands in, by role × boundary (ARCHITECTURE §3). A wrong center is a
/// data-isolation failure, so every doubtful case is a rejection, never a guess.
/// </summary>
/// <remarks>
/// Scope is checked before existence so that a caller cannot learn whether a center it has no
/// right to exists.
/// </remarks>
public static class CenterPolicy
{
    public static CenterDecision Resolve(
        DeploymentRole role,
        IngestMode boundary,
        string? declaredCenterKey,
        CallerIdentity caller,
        string? defaultCenterKey,
        Func<string, bool> centerExists)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(centerExists);

        var declared = string.IsNullOrWhiteSpace(declaredCenterKey) ? null : declaredCenterKey.Trim();
        if (declared is not null && !CenterKeys.IsValid(declared))
        {
            return CenterDecision.Rejected(IngestRejectionReason.InvalidInput, $"center_key '{declared}' is not a valid center key.");
        }

        var decision = boundary switch
        {
            IngestMode.Api => ResolveApi(role, declared, caller, defaultCenterKey),
            IngestMode.Watcher => ResolveWatcher(role, declared, caller, defaultCenterKey),
            IngestMode.Transfer => ResolveTransfer(role, declared, caller),
            _ => throw new ArgumentOutOfRangeException(nameof(boundary)),
        };

        if (decision.IsResolved && !centerExists(decision.CenterKey!))
        {
            return CenterDecision.Rejected(
                IngestRejectionReason.CenterUnknown,
                decision.UsedFallback
                    ? $"The default center '{decision.CenterKey}' is not registered."
                    : $"Unknown center_key '{decision.CenterKey}'.");
        }

        return decision;
    }

    private static CenterDecision ResolveApi(DeploymentRole role, string? declared, CallerIdentity caller, string? defaultCenterKey)
    {
        switch (role)
        {
            case DeploymentRole.SiteNode:
                return CenterDecision.Rejected(IngestRejectionReason.BoundaryNotAvailable, "The upload API is not served on a site node.");

            case DeploymentRole.CentralHub:
                if (caller.Kind != CallerKind.User)
                {
                    return CenterDecision.Rejected(IngestRejectionReason.Unauthenticated, "Authentication is required on a central hub.");
                }

                if (declared is null)
                {
                    return CenterDecision.Rejected(IngestRejectionReason.CenterMissing, "center_key is required on a central hub.");
                }

                return InUserScope(caller, declared)
                    ? CenterDecision.Resolved(declared, usedFallback: false)
                    : Forbidden(declared);

            case DeploymentRole.Standalone:
                if (caller.Kind is not (CallerKind.User or CallerKind.Anonymous))
                {
                    return CenterDecision.Rejected(IngestRejectionReason.Unauthenticated, "The upload API needs a user or anonymous caller.");
                }

                var key = declared ?? defaultCenterKey;
                if (key is null)
                {
                    return CenterDecision.Rejected(
                        IngestRejectionReason.CenterMissing,
                        "No center_key given and LX_ANNOTATE_DEFAULT_CENTER is not set.");
                }

                // An authenticated user stays inside its scope even where a default exists.
                if (caller.Kind == CallerKind.User && !InUserScope(caller, key))
                {
                    return Forbidden(key);
                }

                return CenterDecision.Resolved(key, usedFallback: declared is null);

            default:
                throw new ArgumentOutOfRangeException(nameof(role));
        }
    }

    private static CenterDecision ResolveWatcher(DeploymentRole role, string? declared, CallerIdentity caller, string? defaultCenterKey)
    {
        if (caller.Kind != CallerKind.LocalWatcher)
        {
            return CenterDecision.Rejected(IngestRejectionReason.Unauthenticated, "The watcher boundary accepts only the trusted local drop zone.");
        }

        if (role == DeploymentRole.SiteNode)
        {
            // A site node sends only for its own center: the default center is that center.
            if (defaultCenterKey is null)
            {
                return CenterDecision.Rejected(IngestRejectionReason.CenterMissing, "LX_ANNOTATE_DEFAULT_CENTER (the node's own center) is not set.");
            }

            if (declared is not null && !string.Equals(declared, defaultCenterKey, StringComparison.Ordinal))
            {
                return CenterDecision.Rejected(
                    IngestRejectionReason.CenterForbidden,
                    $"center_key '{declared}' is not this node's center.");
            }

            return CenterDecision.Resolved(defaultCenterKey, usedFallback: declared is null);
        }

        var key = declared ?? defaultCenterKey;
        return key is null
            ? CenterDecision.Rejected(IngestRejectionReason.CenterMissing, "No center_key given and LX_ANNOTATE_DEFAULT_CENTER is not set.")
            : CenterDecision.Resolved(key, usedFallback: declared is null);
    }

    private static CenterDecision ResolveTransfer(DeploymentRole role, string? declared, CallerIdentity caller)
    {
        if (role == DeploymentRole.SiteNode)
        {
            return CenterDecision.Rejected(IngestRejectionReason.BoundaryNotAvailable, "A site node does not receive transfers.");
        }

        if (caller.Kind != CallerKind.Node || caller.NodeCenterKey is null)
        {
            return CenterDecision.Rejected(IngestRejectionReason.Unauthenticated, "Transfers require an authenticated network node.");
        }

        if (declared is not null && !string.Equals(declared, caller.NodeCenterKey, StringComparison.Ordinal))
        {
            return Forbidden(declared);
        }

        return CenterDecision.Resolved(caller.NodeCenterKey, usedFallback: declared is null);
    }

    private static bool InUserScope(CallerIdentity caller, string centerKey) => caller.CenterScope.Contains(centerKey);

    private static CenterDecision Forbidden(string centerKey) =>
        CenterDecision.Rejected(IngestRejectionReason.CenterForbidden, $"The caller may not upload to center_key '{centerKey}'.");
}
