using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.PythonEraTransfers;

internal sealed class HubTransferOptionsValidator : IValidateOptions<HubTransferOptions>
{
    public static ConfigurationContractException? Problem(HubTransferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!NodeKeys.IsValid(options.HubNodeKey))
        {
            return new ConfigurationContractException(HubTransferOptions.NodeKeyVariable, "must be 1 to 64 of a-z, 0-9, '_' and '-'");
        }

        return options.MaxUploadBytes > 0 ? null : new ConfigurationContractException(HubTransferOptions.MaxUploadBytesVariable, "must be a positive whole number");
    }

    public ValidateOptionsResult Validate(string? name, HubTransferOptions options) => Problem(options).ToValidateOptionsResult();
}
