using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// Hands out options resolved once from the environment while the host was built, after its validators
/// passed. Resolving them then (not lazily) keeps a bad variable a one-line stop before anything listens;
/// resolving them once keeps key files from being read twice.
/// </summary>
internal sealed class ResolvedOptionsFactory<TOptions>(TOptions value, IEnumerable<IValidateOptions<TOptions>> validators) : IOptionsFactory<TOptions>
    where TOptions : class
{
    public TOptions Create(string name)
    {
        var failures = validators
            .Select(v => v.Validate(name, value))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
        return failures.Count == 0 ? value : throw new OptionsValidationException(name, typeof(TOptions), failures);
    }
}
