using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Operators.OperatorInput;

namespace LxAnnotate.Hub.Operators.Enrollment;

/// <summary>What <c>lxa-hub nodes enroll</c> does; the node redeems the token at <c>lxa-node enroll</c>.</summary>
internal sealed class EnrollmentTokenOperations(LxaDbContext db, OperatorAuditTrail audit, TimeProvider time)
{
    /// <summary>
    /// Makes a one-time enrollment token for a node, adding the node to <paramref name="centerKey"/> when it
    /// does not exist yet. Only the token's hash is stored; the token is returned once, to be printed.
    /// </summary>
    public async Task<EnrollmentTokenView> CreateEnrollmentTokenAsync(string nodeKey, string centerKey, TimeSpan ttl, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        RequireCenterKey(centerKey);
        var center = await db.FindCenterAsync(centerKey, cancellationToken);
        var now = time.GetUtcNow();
        var node = await db.NetworkNodes.Include(n => n.OwningCenter).FirstOrDefaultAsync(n => n.NodeKey == nodeKey, cancellationToken);
        if (node is not null && node.OwningCenterId != center.Id)
        {
            throw new OperatorException(OperatorErrorKind.NodeInOtherCenter,
                $"node '{nodeKey}' belongs to center '{node.OwningCenter!.CenterKey}', not '{centerKey}'");
        }

        var created = node is null;
        string? nodeDetails = null;
        if (node is null)
        {
            node = SiteNodes.New(nodeKey, displayName: null, center, now);
            db.NetworkNodes.Add(node);
            nodeDetails = audit.Add(now, actor, SiteNodes.AddedAction, SiteNodes.Target(nodeKey), SiteNodes.AddedDetails(node, centerKey));
        }

        var token = EnrollmentTokens.Create();
        var row = new EnrollmentToken
        {
            Node = node,
            TokenHash = EnrollmentTokens.Hash(token),
            ExpiresAt = now + ttl,
            CreatedAt = now,
            CreatedBy = actor,
        };
        db.EnrollmentTokens.Add(row);
        await audit.SaveAsync(actor, "node_enrollment_token_created", SiteNodes.Target(nodeKey),
            new() { ["center_key"] = centerKey, ["expires_at"] = OperatorAuditTrail.Timestamp(row.ExpiresAt), ["node_created"] = created ? "true" : "false" },
            () => SiteNodes.Duplicate(nodeKey), cancellationToken);
        if (nodeDetails is not null)
        {
            audit.Log(SiteNodes.AddedAction, actor, SiteNodes.Target(nodeKey), nodeDetails);
        }

        return new EnrollmentTokenView(nodeKey, centerKey, token, row.ExpiresAt, created);
    }
}
