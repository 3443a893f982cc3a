using LxAnnotate.Hub.Operators;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// Every console page that shows or changes federation state: operators only. Razor Pages validate the antiforgery
/// token of every POST before a handler runs. A refusal of the operator services becomes the page's error line.
/// </summary>
[Authorize(Policy = ConsoleRoutes.OperatorPolicy)]
internal abstract class ConsolePage(TimeProvider time) : PageModel
{
    private ConsoleOperator? signedIn;

    public ConsoleOperator SignedIn => signedIn ??= ConsoleOperator.From(User, HttpContext.RequestServices.GetRequiredService<ConsoleOptions>());

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>The one line an operator service refused with.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Runs one operator change; a refusal (<see cref="OperatorException"/>) is shown on the page, re-read by
    /// <paramref name="reload"/>, with status 400.
    /// </summary>
    protected async Task<IActionResult> ChangeAsync(Func<Task<IActionResult>> change, Func<Task> reload)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(reload);
        try
        {
            return await change();
        }
        catch (OperatorException ex)
        {
            Error = ex.Message;
            await reload();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    /// <summary>A center outside the operator's scope: refused, and nothing is read or written.</summary>
    protected static IActionResult OutsideScope() => ConsoleRefusal.Forbidden();

    /// <summary>Unknown, or of a center outside the operator's scope: the two look the same.</summary>
    protected static IActionResult UnknownTarget() => ConsoleRefusal.NotFound();

    protected void ShowError(string message) => Error = message;
}
