using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Configuration;

/// <summary>How a feature registers the options it resolved from its environment variables.</summary>
internal static class ResolvedOptionsRegistration
{
    /// <summary>
    /// Registers <paramref name="value"/> as the feature's options (<see cref="IOptions{TOptions}"/> and the options
    /// type itself, so handlers and constructors take it directly), validated by <typeparamref name="TValidator"/>
    /// at start.
    /// </summary>
    public static TOptions AddResolvedOptions<TOptions, TValidator>(this IServiceCollection services, TOptions value)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(value);
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton<IOptionsFactory<TOptions>>(sp => new ResolvedOptionsFactory<TOptions>(value, sp.GetServices<IValidateOptions<TOptions>>()));
        services.AddOptions<TOptions>().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        return value;
    }

    /// <summary>A rule's problem as the options validation result: the same one line as the start-up error.</summary>
    public static ValidateOptionsResult ToValidateOptionsResult(this ConfigurationContractException? problem) =>
        problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem.Message);
}
