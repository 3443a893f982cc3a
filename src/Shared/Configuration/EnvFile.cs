using System.Globalization;
using System.Text;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Reads the systemd <c>EnvironmentFile=</c> format, so tools (CLI, tests, smoke scripts) see
/// the same values the service does. Errors give the line number and never the line: the
/// file is where the secrets live.
/// </summary>
public static class EnvFile
{
    private const string TextSource = "environment file";

    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text, TextSource);
    }

    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new ConfigurationContractException(path, "environment file not found", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new ConfigurationContractException(path, "environment file not found", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ConfigurationContractException(path, "environment file cannot be read: permission denied", ex);
        }
        catch (IOException ex)
        {
            throw new ConfigurationContractException(path, "environment file cannot be read", ex);
        }

        return Parse(text, path);
    }

    private static Dictionary<string, string> Parse(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines = text.TrimStart('\uFEFF').Split('\n');

        for (int index = 0; index < lines.Length; index++)
        {
            int lineNumber = index + 1;
            string line = lines[index].TrimEnd('\r').TrimStart();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && char.IsWhiteSpace(line[6]))
            {
                line = line[7..].TrimStart();
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw LineError(source, lineNumber, "expected KEY=value");
            }

            string key = line[..equals].Trim();
            if (!IsValidKey(key))
            {
                // The text before '=' is not echoed either: a pasted secret can end up there.
                throw LineError(source, lineNumber, "invalid variable name (expected [A-Za-z_][A-Za-z0-9_]*)");
            }

            values[key] = ParseValue(line[(equals + 1)..], source, lineNumber, key);
        }

        return values;
    }

    private static string ParseValue(string raw, string source, int lineNumber, string key)
    {
        string value = raw.TrimStart();
        if (value.Length == 0)
        {
            return "";
        }

        if (value[0] == '\'')
        {
            int close = value.IndexOf('\'', 1);
            if (close < 0)
            {
                throw LineError(source, lineNumber, $"{key}: unterminated single quote (multi-line values are not supported)");
            }

            RequireNothingAfterQuote(value, close, source, lineNumber, key);
            return value[1..close];
        }

        if (value[0] == '"')
        {
            return ParseDoubleQuoted(value, source, lineNumber, key);
        }

        // systemd keeps an unquoted value as written, " #" included: it has no inline comments.
        return value.TrimEnd();
    }

    /// <summary>
    /// A double-quoted value starting at <paramref name="value"/>[0]: backslash escapes <c>\"</c>, <c>\\</c>,
    /// <c>\$</c> and <c>\n</c> as systemd reads them; only whitespace may follow the closing quote.
    /// </summary>
    private static string ParseDoubleQuoted(string value, string source, int lineNumber, string key)
    {
        var result = new StringBuilder(value.Length);
        for (int i = 1; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '"')
            {
                RequireNothingAfterQuote(value, i, source, lineNumber, key);
                return result.ToString();
            }

            if (c == '\\' && i + 1 < value.Length)
            {
                char next = value[++i];
                switch (next)
                {
                    case '"' or '\\' or '$':
                        result.Append(next);
                        break;
                    case 'n':
                        result.Append('\n');
                        break;
                    default:
                        // Unknown escapes stay as written, as systemd leaves them.
                        result.Append('\\').Append(next);
                        break;
                }

                continue;
            }

            result.Append(c);
        }

        throw LineError(source, lineNumber, $"{key}: unterminated double quote (multi-line values are not supported)");
    }

    private static void RequireNothingAfterQuote(string value, int closingQuote, string source, int lineNumber, string key)
    {
        if (!value.AsSpan(closingQuote + 1).IsWhiteSpace())
        {
            throw LineError(source, lineNumber, $"{key}: unexpected text after the closing quote");
        }
    }

    private static bool IsValidKey(string key)
    {
        if (key.Length == 0 || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static ConfigurationContractException LineError(string source, int lineNumber, string problem) =>
        new(source, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: {problem}"));
}
