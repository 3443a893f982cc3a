using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Hosting;

internal sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public static ConfigurationContractException? Problem(LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Format is "text" or "json" ? null : new ConfigurationContractException(LoggingOptions.FormatVariable, "must be 'text' or 'json'");
    }

    public ValidateOptionsResult Validate(string? name, LoggingOptions options) => Problem(options).ToValidateOptionsResult();
}
