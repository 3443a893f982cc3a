using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>Per visible center: nodes and their last heartbeat, jobs by status, errors of the last 24 h, open transfers.</summary>
internal sealed class IndexModel(ConsoleOverviewQueries overview, TimeProvider time) : ConsolePage(time)
{
    public static IReadOnlyList<string> Statuses { get; } = Enum.GetValues<UploadJobStatus>().Select(s => s.ToWire()).ToList();

    public IReadOnlyList<CenterOverview> Centers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Centers = await overview.ForAsync(SignedIn, cancellationToken);
}
