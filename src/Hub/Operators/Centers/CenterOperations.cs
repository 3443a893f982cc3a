using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Operators.OperatorInput;

namespace LxAnnotate.Hub.Operators.Centers;

/// <summary>What <c>lxa-hub centers add|list</c> do; an added center is recorded in the audit trail.</summary>
internal sealed class CenterOperations(LxaDbContext db, OperatorAuditTrail audit, TimeProvider time)
{
    public async Task<CenterView> AddCenterAsync(string centerKey, string name, string? displayName, string actor, CancellationToken cancellationToken)
    {
        RequireCenterKey(centerKey);
        name = RequireText(name, "--name", NameMaxLength);
        displayName = OptionalText(displayName, "--display-name", NameMaxLength);

        if (await db.Centers.AnyAsync(c => c.CenterKey == centerKey, cancellationToken))
        {
            throw Duplicate(centerKey);
        }

        var center = new Center { CenterKey = centerKey, Name = name, DisplayName = displayName, CreatedAt = time.GetUtcNow() };
        db.Centers.Add(center);
        await audit.SaveAsync(actor, "center_added", OperatorAuditTrail.Target("center", centerKey),
            new() { ["name"] = name, ["display_name"] = displayName },
            () => Duplicate(centerKey), cancellationToken);
        return CenterView.From(center);
    }

    public async Task<IReadOnlyList<CenterView>> ListCentersAsync(CancellationToken cancellationToken)
    {
        var centers = await db.Centers.AsNoTracking().ToListAsync(cancellationToken);
        return centers.OrderBy(c => c.CenterKey, StringComparer.Ordinal).Select(CenterView.From).ToList();
    }

    private static OperatorException Duplicate(string centerKey) =>
        new(OperatorErrorKind.DuplicateCenter, $"center '{centerKey}' already exists");
}
