using System.Globalization;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// Parses the keyring manifest: the YAML mapping the original writes and validates (<c>schema_version</c>, <c>active</c>,
/// <c>retiring</c>, <c>allow_legacy_default_salt</c>; unknown or repeated fields refused). Only the plain YAML such a
/// manifest needs is understood: scalars (plain or quoted), a block or flow list for <c>retiring</c>, comments. Anchors,
/// aliases, tags, merges and multi-line scalars are refused rather than guessed.
/// </summary>
internal static class KeyringManifestParser
{
    private static readonly string[] Fields = ["schema_version", "active", "retiring", "allow_legacy_default_salt"];

    public static KeyringManifest Parse(string text, string variable)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        string? openList = null;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = StripComment(raw).TrimEnd();
            if (line.Trim().Length == 0 || line == "---")
            {
                continue;
            }

            if (line.TrimStart().StartsWith("- ", StringComparison.Ordinal) || line.Trim() == "-")
            {
                if (openList is null || !char.IsWhiteSpace(line[0]) && line[0] != '-')
                {
                    throw Invalid(variable, "a list item outside 'retiring'");
                }

                ((List<string>)values[openList]).Add(Scalar(line.TrimStart()[1..].Trim(), variable));
                continue;
            }

            if (char.IsWhiteSpace(line[0]))
            {
                throw Invalid(variable, "unexpected indentation");
            }

            openList = null;
            var (key, value) = Field(line, values, variable);
            if (key == "retiring")
            {
                var list = value.Length == 0 ? [] : FlowList(value, variable);
                values[key] = list;
                openList = value.Length == 0 ? key : null;
                continue;
            }

            // Typed fields keep their raw text: a quoted "1" or "true" is a string in YAML, which the original refuses.
            values[key] = key is "schema_version" or "allow_legacy_default_salt" ? value : Scalar(value, variable);
        }

        return Build(values, variable);
    }

    /// <summary>Splits a top-level <c>field: value</c> line; unknown and repeated fields are refused.</summary>
    private static (string Key, string Value) Field(string line, Dictionary<string, object> values, string variable)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw Invalid(variable, "expected 'field: value' lines");
        }

        var key = line[..colon].Trim();
        if (!Fields.Contains(key))
        {
            throw Invalid(variable, $"unknown field {SettingText.Quote(key)}");
        }

        if (values.ContainsKey(key))
        {
            throw Invalid(variable, $"field {SettingText.Quote(key)} appears twice");
        }

        return (key, line[(colon + 1)..].Trim());
    }

    private static KeyringManifest Build(Dictionary<string, object> values, string variable)
    {
        // The original validates schema_version as a strict integer equal to 1: a quoted "1" is refused too.
        if (!values.TryGetValue("schema_version", out var version) || version is not string v || v != "1")
        {
            throw Invalid(variable, "schema_version must be 1");
        }

        if (!values.TryGetValue("active", out var active) || active is not string activePath || activePath.Length == 0)
        {
            throw Invalid(variable, "'active' (the path of the active secret file) is required");
        }

        var retiring = values.TryGetValue("retiring", out var list) ? (List<string>)list : [];
        if (retiring.Count > KeyringManifest.MaxRetiring)
        {
            throw Invalid(variable, $"at most {KeyringManifest.MaxRetiring.ToString(CultureInfo.InvariantCulture)} retiring files");
        }

        var allowLegacy = values.TryGetValue("allow_legacy_default_salt", out var flag) && Boolean((string)flag, variable);
        return new KeyringManifest(activePath, retiring, allowLegacy);
    }

    /// <summary>YAML 1.1 booleans as PyYAML's safe loader reads them; anything else is not a boolean.</summary>
    private static bool Boolean(string value, string variable) => value switch
    {
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
        _ => throw Invalid(variable, "allow_legacy_default_salt must be true or false"),
    };

    private static List<string> FlowList(string value, string variable)
    {
        if (value.Length < 2 || value[0] != '[' || value[^1] != ']')
        {
            throw Invalid(variable, "'retiring' must be a list of paths");
        }

        var inner = value[1..^1].Trim();
        return inner.Length == 0 ? [] : inner.Split(',').Select(item => Scalar(item.Trim(), variable)).ToList();
    }

    private static string Scalar(string value, string variable)
    {
        if (value.Length >= 2 && (value[0] == '\'' && value[^1] == '\'' || value[0] == '"' && value[^1] == '"'))
        {
            var inner = value[1..^1];
            if (value[0] == '"' && inner.Contains('\\', StringComparison.Ordinal))
            {
                throw Invalid(variable, "escape sequences in quoted values are not supported");
            }

            return value[0] == '\'' ? inner.Replace("''", "'", StringComparison.Ordinal) : inner;
        }

        if (value.Length == 0 || value[0] is '&' or '*' or '!' or '|' or '>' or '{' or '[' or '"' or '\'' || value.StartsWith("<<", StringComparison.Ordinal))
        {
            throw Invalid(variable, "only plain or quoted values are supported (no anchors, aliases, tags, merges or block scalars)");
        }

        return value;
    }

    /// <summary>Drops a comment: '#' at the start or after whitespace, outside quotes.</summary>
    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static ConfigurationContractException Invalid(string variable, string problem) =>
        new(variable, $"invalid keyring manifest: {problem}");
}
