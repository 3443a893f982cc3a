using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Transfer;

internal sealed class TransferOptionsValidator : IValidateOptions<TransferOptions>
{
    private const string NotPositive = "must be a positive whole number";

    public static ConfigurationContractException? Problem(TransferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxArtifactBytes <= 0)
        {
            return new ConfigurationContractException(TransferOptions.MaxBytesVariable, NotPositive);
        }

        if (options.CheckpointBytes <= 0)
        {
            return new ConfigurationContractException(TransferOptions.CheckpointBytesVariable, NotPositive);
        }

        return options.ExpireAfter > TimeSpan.Zero ? null : new ConfigurationContractException(TransferOptions.ExpireHoursVariable, NotPositive);
    }

    public ValidateOptionsResult Validate(string? name, TransferOptions options) => Problem(options).ToValidateOptionsResult();
}
