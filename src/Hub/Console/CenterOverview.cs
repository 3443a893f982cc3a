using LxAnnotate.Hub.Operators.Nodes;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>One center on the overview page: counts, states and keys only.</summary>
internal sealed record CenterOverview(
    string CenterKey,
    string Name,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyDictionary<string, int> JobsByStatus,
    int ErrorsLast24Hours,
    IReadOnlyList<TransferRow> OpenTransfers);
