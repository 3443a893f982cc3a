using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Authentication;

/// <summary>Reads <see cref="ApiAuthenticationOptions"/> from the environment.</summary>
internal static class ApiAuthenticationOptionsResolver
{
    public static ApiAuthenticationOptions Resolve(HubEnvironment environment, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new ApiAuthenticationOptions
        {
            EnforceAuth = role == DeploymentRole.CentralHub || environment.Bool(ApiAuthenticationOptions.EnforceAuthVariable, false),
            Oidc = ResolveOidc(environment),
        };
        return ApiAuthenticationOptionsValidator.Problem(options, role) is { } problem ? throw problem : options;
    }

    private static OidcSettings? ResolveOidc(HubEnvironment environment)
    {
        var issuer = environment.Read(ApiAuthenticationOptions.IssuerVariable);
        var audience = environment.Read(ApiAuthenticationOptions.AudienceVariable);
        var jwksUrl = environment.Url(ApiAuthenticationOptions.JwksUrlVariable, null);
        var jwksFile = environment.ExistingFile(ApiAuthenticationOptions.JwksFileVariable);
        if (issuer is null && audience is null && jwksUrl is null && jwksFile is null)
        {
            return null;
        }

        if (issuer is null || audience is null)
        {
            throw new ConfigurationContractException(
                issuer is null ? ApiAuthenticationOptions.IssuerVariable : ApiAuthenticationOptions.AudienceVariable, "OIDC needs both OIDC_ISSUER and OIDC_AUDIENCE");
        }

        return new OidcSettings
        {
            Issuer = issuer,
            Audience = audience,
            JwksUrl = jwksUrl,
            JwksFile = jwksFile,
            CenterClaim = environment.Read(ApiAuthenticationOptions.CenterClaimVariable) ?? "center_keys",
        };
    }
}
