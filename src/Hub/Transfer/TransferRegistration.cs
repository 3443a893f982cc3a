using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Coordination;
using LxAnnotate.Hub.Transfer.Delivery;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Transfer.Upload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Transfer;

public static class TransferRegistration
{
    public static IServiceCollection AddTransferReceiver(this IServiceCollection services, TransferOptions options)
    {
        services.AddResolvedOptions<TransferOptions, TransferOptionsValidator>(options);
        services.AddSingleton<PartialFileStore>();
        services.AddScoped<TransferSessions>();
        services.AddScoped<AbandonedTransfers>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<UploadReceiver>();
        services.AddScoped<UploadCompletion>();
        services.AddScoped<Deliveries>();
        services.AddScoped<TransferLock>();
        services.AddReplicaCoordination();
        return services;
    }

    /// <summary>The receiver with its options and replica name from the environment, and the service that expires abandoned transfers.</summary>
    internal static TransferOptions AddTransferReceiver(this IServiceCollection services, HubEnvironment environment)
    {
        var options = TransferOptionsResolver.Resolve(environment);
        services.AddSingleton(ReplicaIdentity.Resolve(environment));
        services.AddTransferReceiver(options).AddHostedService<TransferExpiryService>();
        return options;
    }
}
