using LxAnnotate.Hub.Ingest;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// The REST caller: a user from a valid bearer token, or anonymous where <c>ENFORCE_AUTH</c> is off.
/// Credentials that were sent are never ignored: a bad or unverifiable token is a 401, not a silent
/// downgrade to anonymous (which would route the upload to the default center).
/// </summary>
internal static class ApiCallerResolver
{
    public static async Task<ApiCaller> ResolveAsync(HttpContext context, ApiAuthenticationOptions settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);

        var sentCredentials = context.Request.Headers.ContainsKey(HeaderNames.Authorization);
        if (!sentCredentials)
        {
            return settings.EnforceAuth
                ? ApiCaller.Missing("Authentication required: send a bearer token.")
                : ApiCaller.Accepted(CallerIdentity.Anonymous);
        }

        if (settings.Oidc is not { } oidc)
        {
            return ApiCaller.Invalid("Bearer tokens cannot be verified here: OIDC is not configured on this hub.");
        }

        // Cached per request: UseAuthentication already ran the default (JWT) scheme.
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            return ApiCaller.Invalid(result.None ? "Only bearer tokens are accepted." : "The bearer token is not valid.");
        }

        var subject = result.Principal.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return ApiCaller.Invalid("The bearer token has no subject.");
        }

        return ApiCaller.Accepted(CallerIdentity.ForUser(subject, CenterClaims.Read(result.Principal, oidc.CenterClaim)));
    }
}
