using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>Reads <see cref="HubTransferOptions"/> from the environment.</summary>
internal static class HubTransferOptionsResolver
{
    /// <param name="recipientKeys">The envelope keys the hub already loaded for the transfer receiver (one ring for both).</param>
    public static HubTransferOptions Resolve(HubEnvironment environment, DeploymentRole role, RecipientKeyRing recipientKeys)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new HubTransferOptions
        {
            Enabled = role == DeploymentRole.CentralHub && environment.Bool(HubTransferOptions.EnabledVariable, false),
            HubNodeKey = environment.Read(HubTransferOptions.NodeKeyVariable) ?? "hub",
            AllowPlaintextMedia = environment.Bool(HubTransferOptions.AllowPlaintextMediaVariable, false),
            MaxUploadBytes = environment.PositiveNumber(HubTransferOptions.MaxUploadBytesVariable, 50L * 1024 * 1024 * 1024),
            RecipientKeys = recipientKeys,
        };
        return HubTransferOptionsValidator.Problem(options) is { } problem ? throw problem : options;
    }
}
