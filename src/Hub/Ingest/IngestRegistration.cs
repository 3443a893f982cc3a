using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Ingest;

public static class IngestRegistration
{
    /// <summary>Registers the ingest core; needs the runtime settings and the database registered first.</summary>
    public static IServiceCollection AddIngestCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ContentStore>();

        // Hosts register the resolved key ring with the runtime settings; without it, nothing is encrypted.
        services.TryAddSingleton(EncryptionSettings.Disabled);
        services.AddSingleton<EncryptedArtifactStore>();
        services.AddScoped<IngestService>();
        return services;
    }
}
