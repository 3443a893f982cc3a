using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Transfer;

public static class TransferRegistration
{
    public static IServiceCollection AddTransferReceiver(this IServiceCollection services, TransferOptions options)
    {
        services.AddSingleton(options);
        services.AddScoped<TransferReceiver>();
        return services;
    }
}
