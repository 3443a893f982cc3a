namespace LxAnnotate.Shared.Configuration;

/// <summary>Reading raw values and quoting non-secret ones into error messages.</summary>
public static class SettingText
{
    private const int MaxQuotedLength = 256;

    /// <summary>
    /// The trimmed value, or null when unset or blank: systemd passes <c>VAR=</c> as an
    /// empty string, and operators write that to mean "not set".
    /// </summary>
    public static string? Read(Func<string, string?> lookup, string name)
    {
        string? value = lookup(name);
        if (value is null)
        {
            return null;
        }

        string trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>Only for values that are not secrets (roles, paths, engine names).</summary>
    public static string Quote(string value)
    {
        string shown = value.Length > MaxQuotedLength ? string.Concat(value.AsSpan(0, MaxQuotedLength), "...") : value;
        return string.Concat("'", shown, "'");
    }
}
