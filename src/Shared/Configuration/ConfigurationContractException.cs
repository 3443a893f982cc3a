namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// A configuration value breaks the runtime contract. Start-up stops with this one-line
/// message; it names the variable (or file) and what is wrong, never a secret value.
/// </summary>
public sealed class ConfigurationContractException : Exception
{
    public ConfigurationContractException(string variableName, string problem)
        : base(Format(variableName, problem))
    {
        VariableName = variableName;
    }

    public ConfigurationContractException(string variableName, string problem, Exception innerException)
        : base(Format(variableName, problem), innerException)
    {
        VariableName = variableName;
    }

    public string VariableName { get; }

    // Operators read this in journald, where a message that spans lines is split into
    // separate entries; values quoted into it come from the environment and may hold anything.
    private static string Format(string variableName, string problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(variableName);
        ArgumentNullException.ThrowIfNull(problem);
        return string.Create(
            variableName.Length + 2 + problem.Length,
            (variableName, problem),
            static (span, state) =>
            {
                state.variableName.AsSpan().CopyTo(span);
                ": ".AsSpan().CopyTo(span[state.variableName.Length..]);
                state.problem.AsSpan().CopyTo(span[(state.variableName.Length + 2)..]);
                foreach (ref char c in span)
                {
                    if (char.IsControl(c))
                    {
                        c = ' ';
                    }
                }
            });
    }
}
