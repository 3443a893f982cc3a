using LxAnnotate.Node.Quarantine;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Node.Watcher;

internal static class WatcherServiceCollectionExtensions
{
    /// <summary>
    /// Registers the drop-folder watcher. The composition root provides <c>DataPaths</c>, <c>NodeSettings</c>,
    /// an <c>IOutbox</c> and logging.
    /// </summary>
    internal static IServiceCollection AddDropFolderWatcher(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QuarantineStore>();
        services.AddHostedService<DropFolderWatcher>();
        return services;
    }
}
