using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>Reads <see cref="ConsoleOptions"/>; a problem is one line naming the variable, never the secret.</summary>
internal static class ConsoleOptionsResolver
{
    public static ConsoleOptions Resolve(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var centerClaim = environment.Read(ApiAuthenticationOptions.CenterClaimVariable) ?? "center_keys";
        var clientId = environment.Read(ConsoleOptions.ClientIdVariable);
        if (clientId is null)
        {
            return new ConsoleOptions { CenterClaim = centerClaim };
        }

        var issuerText = environment.Read(ApiAuthenticationOptions.IssuerVariable)
            ?? throw new ConfigurationContractException(ApiAuthenticationOptions.IssuerVariable, $"the console ({ConsoleOptions.ClientIdVariable}) signs operators in with this OIDC provider; set it");
        if (!Uri.TryCreate(issuerText.TrimEnd('/'), UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http"))
        {
            throw new ConfigurationContractException(ApiAuthenticationOptions.IssuerVariable, "must be the provider's https:// URL for the console");
        }

        string? secret = null;
        if (environment.Read(ConsoleOptions.ClientSecretFileVariable) is { } file)
        {
            secret = PrivateSecretFile.ReadText(file, ConsoleOptions.ClientSecretFileVariable, "client secret file", PrivateSecretFile.MaxLineFileBytes).Trim();
        }

        var options = new ConsoleOptions
        {
            Enabled = true,
            Issuer = issuer,
            ClientId = clientId,
            ClientSecret = secret,
            Scopes = (environment.Read(ConsoleOptions.ScopesVariable) ?? ConsoleOptions.DefaultScopes)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            RoleClaim = environment.Read(ConsoleOptions.RoleClaimVariable) ?? ConsoleOptions.DefaultRoleClaim,
            Role = environment.Read(ConsoleOptions.RoleVariable) ?? ConsoleOptions.DefaultRole,
            CenterClaim = centerClaim,
        };
        return ConsoleOptionsValidator.Problem(options) is { } problem ? throw problem : options;
    }
}
