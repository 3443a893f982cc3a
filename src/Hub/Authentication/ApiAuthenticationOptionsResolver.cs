using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Authentication;

/// <summary>Reads <see cref="ApiAuthenticationOptions"/> from the environment.</summary>
internal static class ApiAuthenticationOptionsResolver
{
    public static ApiAuthenticationOptions Resolve(HubEnvironment environment, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configured = environment.OptionalBool(ApiAuthenticationOptions.EnforceAuthVariable);
        var options = new ApiAuthenticationOptions
        {
            EnforceAuth = role == DeploymentRole.CentralHub || (configured ?? DefaultEnforceAuth(environment)),
            EnforceAuthByDefault = role != DeploymentRole.CentralHub && configured is null,
            Oidc = ResolveOidc(environment),
        };
        return ApiAuthenticationOptionsValidator.Problem(options, role) is { } problem ? throw problem : options;
    }

    /// <summary>
    /// As the original: its production settings (<c>settings_prod</c>, what its systemd unit runs) default ENFORCE_AUTH
    /// to on, its development settings (<c>DJANGO_SETTINGS_MODULE=…settings_dev</c>) to off. The role does not enter.
    /// </summary>
    private static bool DefaultEnforceAuth(HubEnvironment environment) =>
        environment.Read(ApiAuthenticationOptions.DjangoSettingsModuleVariable) is not { } module
        || !module.EndsWith("settings_dev", StringComparison.Ordinal);

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
