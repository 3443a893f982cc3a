using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Operators;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The operator console on the API listener: Razor Pages behind a cookie session that the hospital's OIDC provider
/// opens (authorization code with PKCE). Off unless <see cref="ConsoleOptions.ClientIdVariable"/> is set; then every
/// change goes through the same operator services as the CLI.
/// </summary>
internal static class ConsoleRegistration
{
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static ConsoleOptions AddOperatorConsole(this WebApplicationBuilder builder, HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddResolvedOptions<ConsoleOptions, ConsoleOptionsValidator>(ConsoleOptionsResolver.Resolve(environment));
        if (!options.Enabled)
        {
            return options;
        }

        builder.Services.AddOperators(builder.Configuration);
        builder.Services.AddScoped<ConsoleOverviewQueries>();
        builder.Services.AddScoped<ConsoleJobQueries>();
        builder.Services.AddScoped<ConsoleAuditQueries>();
        builder.Services.AddScoped<ConsoleTransferQueries>();
        builder.Services.AddRazorPages(o => o.RootDirectory = "/Console/Pages");
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ConsoleRoutes.AntiforgeryCookie;
            o.Cookie.Path = "/";
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__lxa_af";
        });

        builder.Services.AddAuthentication()
            .AddCookie(ConsoleRoutes.CookieScheme, o => ConfigureSession(o))
            .AddOpenIdConnect(ConsoleRoutes.OidcScheme, o => ConfigureOidc(o, options));
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy(ConsoleRoutes.OperatorPolicy, p => p
                .AddAuthenticationSchemes(ConsoleRoutes.CookieScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => ConsoleOperator.HasRole(c.User, options)));
            o.AddPolicy(ConsoleRoutes.SignedInPolicy, p => p
                .AddAuthenticationSchemes(ConsoleRoutes.CookieScheme)
                .RequireAuthenticatedUser());
        });
        return options;
    }

    /// <summary>The security headers and the https gate, before authentication so the OIDC callbacks and refusals carry and pass them too.</summary>
    public static IApplicationBuilder UseOperatorConsole(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<ConsoleOptions>().Enabled
            ? app.UseMiddleware<ConsoleSecurityHeaders>().UseMiddleware<ConsoleHttps>()
            : app;
    }

    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<ConsoleOptions>().Enabled)
        {
            endpoints.MapGet(ConsoleRoutes.Stylesheet, ConsoleStylesheet.Get);
            endpoints.MapGet(ConsoleRoutes.LiveScript, ConsoleLiveScript.Get);
            endpoints.MapGet(ConsoleRoutes.Progress, ConsoleProgressStream.StreamAsync).RequireAuthorization(ConsoleRoutes.OperatorPolicy);
            endpoints.MapRazorPages();
        }

        return endpoints;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(ConsoleLog.Category);

    private static void ConfigureSession(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = ConsoleRoutes.SessionCookie;
        o.Cookie.Path = "/";
        o.Cookie.HttpOnly = true;
        o.Cookie.SecurePolicy = CookieSecurePolicy.Always;

        // Lax, not Strict: the provider's redirect back to the hub is a cross-site navigation, and the session
        // cookie set there must come along on the next request. Changes are POSTs with antiforgery tokens.
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.ExpireTimeSpan = SessionLifetime;
        o.SlidingExpiration = false;
        o.ForwardChallenge = ConsoleRoutes.OidcScheme;
        o.Events.OnRedirectToAccessDenied = c => ConsoleRefusal.WriteAsync(c.HttpContext);
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, ConsoleOptions options)
    {
        o.Authority = options.Issuer!.AbsoluteUri;
        o.RequireHttpsMetadata = !options.IssuerIsLoopbackHttp;
        o.ClientId = options.ClientId;
        o.ClientSecret = options.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;

        // The code comes back in the query string: no auto-submitting form, so sign-in works with JavaScript off.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.CallbackPath = ConsoleRoutes.SignInCallback;
        o.SignedOutCallbackPath = ConsoleRoutes.SignOutCallback;
        o.SignedOutRedirectUri = ConsoleRoutes.SignedOut;
        o.SignInScheme = ConsoleRoutes.CookieScheme;
        o.MapInboundClaims = false;

        // The id token is kept in the (encrypted) session cookie as the hint for the provider's sign-out.
        o.SaveTokens = true;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.ClaimActions.MapJsonKey(options.RoleClaim, options.RoleClaim);
        o.ClaimActions.MapJsonKey(options.CenterClaim, options.CenterClaim);
        o.ClaimActions.MapJsonKey("preferred_username", "preferred_username");
        o.Scope.Clear();
        foreach (var scope in options.Scopes)
        {
            o.Scope.Add(scope);
        }

        o.TokenValidationParameters.NameClaimType = "preferred_username";
        o.Events.OnTicketReceived = c =>
        {
            var user = c.Principal!;
            ConsoleLog.SignedIn(Logger(c.HttpContext), user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value ?? "?",
                ConsoleOperator.HasRole(user, options), !user.HasClaim(claim => claim.Type == options.CenterClaim));
            return Task.CompletedTask;
        };

        // A refusal at the provider or a stale sign-in (e.g. an old tab) ends on a page, not in a 500.
        o.Events.OnRemoteFailure = c =>
        {
            ConsoleLog.SignInFailed(Logger(c.HttpContext), c.Failure?.GetType().Name ?? "unknown");
            c.Response.Redirect(ConsoleRoutes.SignedOut);
            c.HandleResponse();
            return Task.CompletedTask;
        };
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
        o.BackchannelTimeout = TimeSpan.FromSeconds(15);
    }
}
