using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>
/// The audit log, for hub-wide operators only: events name nodes, centers and jobs of every center, and their details
/// are not scoped, so a center-scoped operator is refused rather than shown a filtered guess.
/// </summary>
internal sealed class AuditModel(ConsoleAuditQueries audit, TimeProvider time) : ConsolePage(time)
{
    public IReadOnlyList<AuditRow> Events { get; private set; } = [];

    public string? Actor { get; private set; }

    public string? Action { get; private set; }

    public string? Target { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? actor, string? action, string? target, CancellationToken cancellationToken)
    {
        if (!SignedIn.HubWide)
        {
            return OutsideScope();
        }

        Actor = Blank(actor);
        Action = Blank(action);
        Target = Blank(target);
        Events = await audit.ListAsync(Actor, Action, Target, cancellationToken);
        return Page();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
