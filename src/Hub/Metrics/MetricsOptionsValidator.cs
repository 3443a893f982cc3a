using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Metrics;

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public static ConfigurationContractException? Problem(MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Token is { } token && (token.Length < MetricsOptions.MinTokenLength || token.Any(char.IsWhiteSpace)))
        {
            return new ConfigurationContractException(MetricsOptions.TokenFileVariable,
                $"the token in the file must be at least {MetricsOptions.MinTokenLength} characters without spaces (e.g. openssl rand -hex 32)");
        }

        if (options.WorkerUrl is { } url && (url.Scheme != "http" || !MetricsOptionsResolver.IsLoopback(url)))
        {
            return new ConfigurationContractException(MetricsOptions.WorkerUrlVariable, "must be an http:// URL on a loopback address (e.g. http://127.0.0.1:9465) or 'off'");
        }

        return null;
    }

    public ValidateOptionsResult Validate(string? name, MetricsOptions options) => Problem(options).ToValidateOptionsResult();
}
