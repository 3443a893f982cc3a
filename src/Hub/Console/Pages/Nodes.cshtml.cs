using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>The nodes of the operator's centers, and <c>nodes add</c>.</summary>
internal sealed class NodesModel(NodeOperations nodes, CenterOperations centers, TimeProvider time) : ConsolePage(time)
{
    public IReadOnlyList<NodeView> Nodes { get; private set; } = [];

    public IReadOnlyList<string> Centers { get; private set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string nodeKey, string centerKey, string? displayName, CancellationToken cancellationToken)
    {
        if (!SignedIn.MaySee(centerKey ?? ""))
        {
            return OutsideScope();
        }

        return await ChangeAsync(async () =>
        {
            var added = await nodes.AddNodeAsync(nodeKey ?? "", centerKey!, string.IsNullOrWhiteSpace(displayName) ? null : displayName, SignedIn.Actor, cancellationToken);
            return Redirect("/console/nodes/" + Uri.EscapeDataString(added.NodeKey) + "?done=added");
        }, () => LoadAsync(cancellationToken));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Nodes = (await nodes.ListNodesAsync(null, cancellationToken)).Where(n => SignedIn.MaySee(n.CenterKey)).ToList();
        Centers = (await centers.ListCentersAsync(cancellationToken)).Select(c => c.CenterKey).Where(SignedIn.MaySee).ToList();
    }
}
