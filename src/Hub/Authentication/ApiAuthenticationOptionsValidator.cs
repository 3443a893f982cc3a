using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Authentication;

internal sealed class ApiAuthenticationOptionsValidator(LxaRuntimeSettings runtime) : IValidateOptions<ApiAuthenticationOptions>
{
    private const string OidcVariables = "OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL or OIDC_JWKS_FILE";

    /// <param name="role">Only words the message: a central hub enforces authentication whatever ENFORCE_AUTH says.</param>
    public static ConfigurationContractException? Problem(ApiAuthenticationOptions options, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EnforceAuth && options.Oidc is null)
        {
            return new ConfigurationContractException(
                ApiAuthenticationOptions.EnforceAuthVariable,
                role == DeploymentRole.CentralHub
                    ? $"central_hub requires authentication, but OIDC is not configured (set {OidcVariables})"
                    : options.EnforceAuthByDefault
                        ? $"unset means on (as in the original's production settings), but OIDC is not configured (set {OidcVariables}, or ENFORCE_AUTH=0 to accept uploads without a token)"
                        : $"ENFORCE_AUTH=1 but OIDC is not configured (set {OidcVariables})");
        }

        return options.Oidc is { JwksUrl: null, JwksFile: null }
            ? new ConfigurationContractException(ApiAuthenticationOptions.JwksUrlVariable, "OIDC needs OIDC_JWKS_URL or OIDC_JWKS_FILE for the signing keys")
            : options.Oidc?.JwksUrl is { Scheme: not "https" }
                ? new ConfigurationContractException(ApiAuthenticationOptions.JwksUrlVariable, "must be an https:// URL")
                : null;
    }

    public ValidateOptionsResult Validate(string? name, ApiAuthenticationOptions options) =>
        Problem(options, runtime.Role).ToValidateOptionsResult();
}
