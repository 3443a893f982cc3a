using LxAnnotate.Hub.Domain;
using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>Transfers of the operator's centers: open (resumable), completed, failed, expired; bytes, offset, rate, node.</summary>
internal sealed class TransfersModel(ConsoleTransferQueries transfers, TimeProvider time) : ConsolePage(time)
{
    public static IReadOnlyList<string> States { get; } = Enum.GetValues<TransferState>().Select(s => s.ToWire()).ToList();

    public IReadOnlyList<TransferRow> Transfers { get; private set; } = [];

    public string? State { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? state, CancellationToken cancellationToken)
    {
        State = string.IsNullOrWhiteSpace(state) ? null : state.Trim();
        if (State is not null && !States.Contains(State))
        {
            return BadRequest();
        }

        Transfers = await transfers.ListAsync(SignedIn, State is null ? null : WireNames.ParseTransferState(State), cancellationToken);
        return Page();
    }
}
