using LxAnnotate.Hub.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Transfer;

public static class TransferRegistration
{
    public static IServiceCollection AddTransferReceiver(this IServiceCollection services, TransferOptions options)
    {
        services.AddResolvedOptions<TransferOptions, TransferOptionsValidator>(options);
        services.AddScoped<TransferReceiver>();
        return services;
    }

    /// <summary>The receiver with its options from the environment, and the service that expires abandoned transfers.</summary>
    internal static TransferOptions AddTransferReceiver(this IServiceCollection services, HubEnvironment environment)
    {
        var options = TransferOptionsResolver.Resolve(environment);
        services.AddTransferReceiver(options).AddHostedService<TransferExpiryService>();
        return options;
    }
}
