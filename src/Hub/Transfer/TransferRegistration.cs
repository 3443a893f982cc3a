using LxAnnotate.Hub.Transfer.Delivery;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Transfer.Upload;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Transfer;

public static class TransferRegistration
{
    public static IServiceCollection AddTransferReceiver(this IServiceCollection services, TransferOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<PartialFileStore>();
        services.AddScoped<TransferSessions>();
        services.AddScoped<AbandonedTransfers>();
        services.AddScoped<UploadReceiver>();
        services.AddScoped<UploadCompletion>();
        services.AddScoped<Deliveries>();
        return services;
    }
}
