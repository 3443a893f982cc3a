using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

internal static class HubTransferRegistration
{
    /// <summary>Resolves and registers <see cref="HubTransferOptions"/>; a bad variable stops the build here.</summary>
    public static HubTransferOptions AddHubTransfers(this IServiceCollection services, HubEnvironment environment, DeploymentRole role, RecipientKeyRing recipientKeys) =>
        services.AddResolvedOptions<HubTransferOptions, HubTransferOptionsValidator>(HubTransferOptionsResolver.Resolve(environment, role, recipientKeys));
}
