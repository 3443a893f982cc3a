using LxAnnotate.Hub.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace LxAnnotate.Hub.Hosting;

internal static class HubLogging
{
    /// <summary>Resolves and registers <see cref="LoggingOptions"/>, then the console log in that format.</summary>
    public static LoggingOptions AddHubLogging(this WebApplicationBuilder builder, HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddResolvedOptions<LoggingOptions, LoggingOptionsValidator>(Resolve(environment));

        // Per-request lines of ASP.NET Core and every SQL command of EF Core cost more CPU than a small artifact's
        // own work; the hub's own categories log each transfer and upload. Lowest-priority defaults, so
        // Logging__LogLevel__Microsoft.AspNetCore=Information (or an appsettings file) brings them back.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            },
        });
        builder.Logging.ClearProviders();
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        return options;
    }

    public static LoggingOptions Resolve(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new LoggingOptions { Format = environment.Read(LoggingOptions.FormatVariable) ?? "text" };
        return LoggingOptionsValidator.Problem(options) is { } problem ? throw problem : options;
    }
}
