using System.Net;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Metrics;

/// <summary>Reads <see cref="MetricsOptions"/>; a problem is one line naming the variable, never the token.</summary>
internal static class MetricsOptionsResolver
{
    public static MetricsOptions Resolve(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? token = null;
        if (environment.ExistingFile(MetricsOptions.TokenFileVariable) is { } file)
        {
            token = File.ReadAllText(file).Trim();
        }

        var options = new MetricsOptions
        {
            Enabled = environment.Bool(MetricsOptions.EnabledVariable, fallback: true),
            Token = token,
            WorkerUrl = environment.Url(MetricsOptions.WorkerUrlVariable, null),
        };
        return MetricsOptionsValidator.Problem(options) is { } problem ? throw problem : options;
    }

    /// <summary>True for 127.0.0.0/8, ::1 and <c>localhost</c>: the only hosts a worker's metrics may listen on.</summary>
    internal static bool IsLoopback(Uri url) =>
        url.Host == "localhost" || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
