namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Syntax of a <c>center_key</c>. Keys are machine-facing identifiers that end up in
/// storage paths (<c>centers/&lt;center_key&gt;/</c>), so the alphabet is kept to
/// characters that are safe in a path segment and cannot spell <c>.</c> or <c>..</c>.
/// </summary>
public static class CenterKeys
{
    private const int MaxLength = 64;

    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || !IsLowerAlphanumeric(key[0]))
        {
            return false;
        }

        foreach (char c in key.AsSpan(1))
        {
            if (!IsLowerAlphanumeric(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
