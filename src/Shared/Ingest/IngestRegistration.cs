using LxAnnotate.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Shared.Ingest;

public static class IngestRegistration
{
    /// <summary>Registers the ingest core; needs the runtime settings and the database registered first.</summary>
    public static IServiceCollection AddIngestCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ContentStore>();
        services.AddScoped<IngestService>();
        return services;
    }
}
