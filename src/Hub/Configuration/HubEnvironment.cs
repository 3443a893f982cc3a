using System.Globalization;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// The hub's environment variables as the feature options read them. Like the shared contract, every problem
/// is one <see cref="ConfigurationContractException"/> naming the variable, never a value that could be secret.
/// </summary>
internal sealed class HubEnvironment(Func<string, string?> lookup)
{
    public static HubEnvironment From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new HubEnvironment(name => configuration[name]);
    }

    /// <summary>The trimmed value, or null when unset or blank (<see cref="SettingText.Read"/>).</summary>
    public string? Read(string name) => SettingText.Read(lookup, name);

    public bool Bool(string name, bool fallback) => OptionalBool(name) ?? fallback;

    /// <summary>true/false (1/0, yes/no, on/off), or null when unset.</summary>
    public bool? OptionalBool(string name) => Read(name)?.ToLowerInvariant() switch
    {
        null => null,
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new ConfigurationContractException(name, "must be true/false (or 1/0)"),
    };

    public long PositiveNumber(string name, long fallback)
    {
        var value = Read(name);
        if (value is null)
        {
            return fallback;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new ConfigurationContractException(name, "must be a positive whole number");
    }

    /// <summary>An http(s) URL with host and port; null when unset without fallback or set to <c>off</c>.</summary>
    public Uri? Url(string name, string? fallback)
    {
        var value = Read(name) ?? fallback;
        if (value is null || value == "off")
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !value.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigurationContractException(name, "must be an http:// or https:// URL with host and port (or 'off')");
        }

        return uri;
    }

    public string? ExistingFile(string name)
    {
        var value = Read(name);
        if (value is null)
        {
            return null;
        }

        return File.Exists(value) ? value : throw new ConfigurationContractException(name, $"file '{value}' does not exist or is not readable");
    }
}
