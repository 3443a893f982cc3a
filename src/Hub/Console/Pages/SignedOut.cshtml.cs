using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>Where sign-out ends, and where an account without the operator role can sign out to switch accounts.</summary>
[AllowAnonymous]
internal sealed class SignedOutModel : PageModel
{
    public string? SignedInAs { get; private set; }

    public async Task OnGetAsync()
    {
        var session = await HttpContext.AuthenticateAsync(ConsoleRoutes.CookieScheme);
        SignedInAs = session.Succeeded ? session.Principal.FindFirst("preferred_username")?.Value ?? session.Principal.FindFirst("sub")?.Value : null;
    }
}
