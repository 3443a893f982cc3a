using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Operators;

/// <summary>Checks of what an operator typed, each refusing with the one line the command prints.</summary>
internal static class OperatorInput
{
    public const int NameMaxLength = 255;
    public const int ReasonMaxLength = 1024;

    public static void RequireCenterKey(string key)
    {
        if (!CenterKeys.IsValid(key))
        {
            throw InvalidKey("center", key);
        }
    }

    public static void RequireNodeKey(string key)
    {
        if (!NodeKeys.IsValid(key))
        {
            throw InvalidKey("node", key);
        }
    }

    public static string RequireText(string? value, string option, int maxLength) =>
        OptionalText(value, option, maxLength)
            ?? throw new OperatorException(OperatorErrorKind.InvalidArgument, $"{option} must not be empty");

    /// <returns>The trimmed text, or null for none or only blanks.</returns>
    public static string? OptionalText(string? value, string option, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Any(char.IsControl))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, $"{option} must be one line of printable text");
        }

        if (text.Length > maxLength)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, $"{option} is longer than {maxLength} characters");
        }

        return text.Length == 0 ? null : text;
    }

    private static OperatorException InvalidKey(string kind, string key) =>
        new(OperatorErrorKind.InvalidKey, $"invalid {kind} key '{key}': 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
}
