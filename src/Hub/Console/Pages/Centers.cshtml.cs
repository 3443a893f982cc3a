using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary><c>centers list</c> within the operator's scope; <c>centers add</c> for hub-wide operators only.</summary>
internal sealed class CentersModel(CenterOperations centers, NodeOperations nodes, TimeProvider time) : ConsolePage(time)
{
    public IReadOnlyList<CenterView> Centers { get; private set; } = [];

    public IReadOnlyDictionary<string, int> NodeCounts { get; private set; } = new Dictionary<string, int>();

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string centerKey, string name, string? displayName, CancellationToken cancellationToken)
    {
        // A new center widens the federation: not something an operator scoped to some centers decides.
        if (!SignedIn.HubWide)
        {
            return OutsideScope();
        }

        return await ChangeAsync(async () =>
        {
            await centers.AddCenterAsync(centerKey ?? "", name ?? "", string.IsNullOrWhiteSpace(displayName) ? null : displayName, SignedIn.Actor, cancellationToken);
            return Redirect("/console/centers");
        }, () => LoadAsync(cancellationToken));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Centers = (await centers.ListCentersAsync(cancellationToken)).Where(c => SignedIn.MaySee(c.CenterKey)).ToList();
        NodeCounts = (await nodes.ListNodesAsync(null, cancellationToken)).GroupBy(n => n.CenterKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
