namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>Where the console lives on the API listener, and the names of its schemes and policy.</summary>
internal static class ConsoleRoutes
{
    public const string Root = "/console";
    public const string SignInCallback = "/console/signin-oidc";
    public const string SignOutCallback = "/console/signout-callback-oidc";
    public const string SignedOut = "/console/signed-out";
    public const string Stylesheet = "/console/console.css";

    /// <summary>The one script: live progress of transfers in flight, on the pages that list them.</summary>
    public const string LiveScript = "/console/live.js";

    /// <summary>Server-sent events with the progress of the operator's open transfers.</summary>
    public const string Progress = "/console/progress";

    public const string CookieScheme = "LxaConsoleCookie";
    public const string OidcScheme = "LxaConsoleOidc";
    public const string OperatorPolicy = "LxaConsoleOperator";

    /// <summary>Signed in, whatever the roles: enough to sign out again.</summary>
    public const string SignedInPolicy = "LxaConsoleSignedIn";

    /// <summary><c>__Host-</c>: Secure, path /, no domain; the browser refuses it otherwise.</summary>
    public const string SessionCookie = "__Host-lxa-console";
    public const string AntiforgeryCookie = "__Host-lxa-console-af";

    public static bool IsConsole(PathString path) => path.StartsWithSegments(Root, StringComparison.Ordinal);
}
