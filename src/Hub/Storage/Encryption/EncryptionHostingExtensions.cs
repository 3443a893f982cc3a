using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LxAnnotate.Hub.Storage.Encryption;

public static class EncryptionHostingExtensions
{
    /// <summary>
    /// Resolves the runtime contract both binaries share plus the hub's encryption settings (the master key never
    /// leaves the hub), registers both and returns the runtime settings. A bad value stops the host here.
    /// </summary>
    public static LxaRuntimeSettings AddHubRuntimeSettings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        LxaRuntimeSettings settings = builder.AddLxaRuntimeSettings();
        builder.Services.AddSingleton(EncryptionSettingsResolver.Resolve(name => builder.Configuration[name], settings.Role));
        return settings;
    }

    /// <summary>The encryption settings <see cref="AddHubRuntimeSettings"/> registered (disabled if none).</summary>
    public static EncryptionSettings RegisteredEncryptionSettings(this IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(EncryptionSettings))?.ImplementationInstance as EncryptionSettings
        ?? EncryptionSettings.Disabled;
}
