using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LxAnnotate.Shared.Configuration;

public static class RuntimeSettingsHostingExtensions
{
    /// <summary>
    /// Resolves the runtime contract from <c>builder.Configuration</c> while the host is being
    /// built, so a bad value stops the process before anything listens or writes, and registers
    /// the result. Folders are not created here; callers decide when to touch the disk.
    /// </summary>
    public static LxaRuntimeSettings AddLxaRuntimeSettings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        LxaRuntimeSettings settings = RuntimeSettingsResolver.Resolve(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Paths);
        builder.Services.AddSingleton(settings.Database);
        return settings;
    }
}
