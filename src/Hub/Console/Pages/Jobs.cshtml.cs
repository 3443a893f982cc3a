using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Processing.Operators;
using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary><c>jobs list</c> with filters by center, status and content type, within the operator's centers.</summary>
internal sealed class JobsModel(ConsoleJobQueries jobs, CenterOperations centers, TimeProvider time) : ConsolePage(time)
{
    public IReadOnlyList<JobView> Jobs { get; private set; } = [];

    public IReadOnlyList<string> Centers { get; private set; } = [];

    public string? Center { get; private set; }

    public string? Status { get; private set; }

    public string? Type { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? center, string? status, string? type, CancellationToken cancellationToken)
    {
        Center = string.IsNullOrWhiteSpace(center) ? null : center.Trim();
        Status = string.IsNullOrWhiteSpace(status) ? null : status.Trim();
        Type = string.IsNullOrWhiteSpace(type) ? null : type.Trim();
        if (Center is not null && !SignedIn.MaySee(Center))
        {
            return OutsideScope();
        }

        Centers = (await centers.ListCentersAsync(cancellationToken)).Select(c => c.CenterKey).Where(SignedIn.MaySee).ToList();
        try
        {
            Jobs = await jobs.ListAsync(SignedIn, Center, Status, Type, cancellationToken);
        }
        catch (OperatorException ex)
        {
            ShowError(ex.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
