using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Upload;

internal sealed class UploadOptionsValidator : IValidateOptions<UploadOptions>
{
    public static ConfigurationContractException? Problem(UploadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxBytes > 0 ? null : new ConfigurationContractException(UploadOptions.MaxBytesVariable, "must be a positive whole number");
    }

    public ValidateOptionsResult Validate(string? name, UploadOptions options) => Problem(options).ToValidateOptionsResult();
}
