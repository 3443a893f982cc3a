using Microsoft.Extensions.Configuration;
using Names = LxAnnotate.Shared.Configuration.EnvironmentVariableNames;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Turns raw variables into <see cref="LxaRuntimeSettings"/> or stops with one
/// <see cref="ConfigurationContractException"/>. Both binaries resolve through here so the hub
/// and the nodes can never disagree about what a variable means.
/// </summary>
public static class RuntimeSettingsResolver
{
    public static LxaRuntimeSettings Resolve(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);

        DeploymentRole role = ResolveRole(lookup);
        (DataPaths paths, string rootSource) = DataPathsResolver.Resolve(lookup, role);
        DatabaseSettings database = DatabaseSettingsResolver.Resolve(lookup, role, paths.Root);
        string? defaultCenter = ResolveDefaultCenter(lookup);

        return new LxaRuntimeSettings(role, paths, database, defaultCenter) { DataRootSource = rootSource };
    }

    public static LxaRuntimeSettings Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Resolve(name => configuration[name]);
    }

    private static DeploymentRole ResolveRole(Func<string, string?> lookup)
    {
        string? value = SettingText.Read(lookup, Names.DeploymentRole);
        if (value is null)
        {
            return DeploymentRole.Standalone;
        }

        if (!DeploymentRoles.TryParse(value, out DeploymentRole role))
        {
            throw new ConfigurationContractException(
                Names.DeploymentRole,
                $"unknown role {SettingText.Quote(value)} (expected standalone, site_node or central_hub)");
        }

        return role;
    }

    private static string? ResolveDefaultCenter(Func<string, string?> lookup)
    {
        string? value = SettingText.Read(lookup, Names.DefaultCenter);
        if (value is not null && !CenterKeys.IsValid(value))
        {
            throw new ConfigurationContractException(
                Names.DefaultCenter,
                $"{SettingText.Quote(value)} is not a valid center key (1-64 characters from a-z, 0-9, '_' and '-', starting with a letter or digit)");
        }

        return value;
    }
}
