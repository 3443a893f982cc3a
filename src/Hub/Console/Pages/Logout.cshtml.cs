using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>Ends the console session and, through the provider's end-session endpoint, the provider's session too.</summary>
[Authorize(Policy = ConsoleRoutes.SignedInPolicy)]
internal sealed class LogoutModel : PageModel
{
    public IActionResult OnPost() =>
        SignOut(new AuthenticationProperties { RedirectUri = ConsoleRoutes.SignedOut }, ConsoleRoutes.CookieScheme, ConsoleRoutes.OidcScheme);
}
