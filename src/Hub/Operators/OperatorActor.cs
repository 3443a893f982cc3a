namespace LxAnnotate.Hub.Operators;

/// <summary>
/// Who runs an operator command, for the audit trail: <c>--actor</c>, else the login behind
/// <c>sudo</c> (<c>SUDO_USER</c>) rather than root, else <c>USER</c>, else the OS account name.
/// </summary>
internal static class OperatorActor
{
    private const int MaxLength = 255;

    public static string Resolve(string? actorOption, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        if (actorOption is not null)
        {
            return Validate(actorOption, "--actor");
        }

        foreach (var variable in (ReadOnlySpan<string>)["SUDO_USER", "USER"])
        {
            if (environment(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return Validate(value, variable);
            }
        }

        return Validate(Environment.UserName, "the OS user name");
    }

    private static string Validate(string value, string source)
    {
        var actor = value.Trim();
        if (actor.Length == 0 || actor.Length > MaxLength || actor.Any(char.IsControl))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument,
                $"the actor from {source} must be 1 to {MaxLength} printable characters");
        }

        return actor;
    }
}
