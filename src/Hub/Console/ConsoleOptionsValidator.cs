using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.OperatorConsole;

internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public static ConfigurationContractException? Problem(ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return null;
        }

        if (options.Issuer is null || options.Issuer.Scheme != "https" && !options.IssuerIsLoopbackHttp)
        {
            return new ConfigurationContractException(ApiAuthenticationOptions.IssuerVariable,
                "the console fetches the provider's metadata over https:// (plain http only for a provider on this host's loopback)");
        }

        if (options.ClientSecret is { Length: 0 })
        {
            return new ConfigurationContractException(ConsoleOptions.ClientSecretFileVariable, "the client secret file is empty");
        }

        if (!options.Scopes.Contains("openid", StringComparer.Ordinal))
        {
            return new ConfigurationContractException(ConsoleOptions.ScopesVariable, "must include 'openid'");
        }

        if (options.RoleClaim.Any(char.IsWhiteSpace) || options.Role.Any(char.IsWhiteSpace))
        {
            return new ConfigurationContractException(ConsoleOptions.RoleVariable, "the role claim and the role are single words without spaces");
        }

        return null;
    }

    public ValidateOptionsResult Validate(string? name, ConsoleOptions options) => Problem(options).ToValidateOptionsResult();
}
