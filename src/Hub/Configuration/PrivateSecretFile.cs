using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// Reads a secret (or a keyring manifest) the way the original's <c>read_private_file</c> does: an absolute path to a
/// regular file, not a symbolic link, without group or other access, not empty and not over a size limit. Errors
/// name the variable and the path, never the content.
/// </summary>
internal static class PrivateSecretFile
{
    /// <summary>The original's limit for one secret line.</summary>
    public const int MaxLineFileBytes = 4096;

    private const UnixFileMode GroupOrOtherAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <param name="what">How the message calls the file, e.g. "key file".</param>
    public static string ReadText(string path, string variable, string what, int maxBytes)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ConfigurationContractException(variable, $"{what} {SettingText.Quote(path)} must be an absolute path");
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new ConfigurationContractException(variable, $"{what} {SettingText.Quote(path)} must be a regular file, not a symbolic link");
        }

        if (!info.Exists)
        {
            throw new ConfigurationContractException(variable, $"{what} {SettingText.Quote(path)} does not exist or is not a regular file");
        }

        if ((info.UnixFileMode & GroupOrOtherAccess) != 0)
        {
            throw new ConfigurationContractException(variable, $"{what} {SettingText.Quote(path)} must not be group- or world-accessible (chmod 600)");
        }

        if (info.Length == 0 || info.Length > maxBytes)
        {
            throw new ConfigurationContractException(variable, $"{what} {SettingText.Quote(path)} is empty or larger than {maxBytes} bytes");
        }

        try
        {
            return File.ReadAllText(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            throw new ConfigurationContractException(variable, $"cannot read {what} {SettingText.Quote(path)}", ex);
        }
    }

    /// <summary>The file's one line: a single trailing line break is dropped, nothing else is normalized.</summary>
    public static string ReadLine(string path, string variable, string what)
    {
        var text = ReadText(path, variable, what, MaxLineFileBytes);
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }

    /// <summary>The original's rule for secret material: one line, not blank, no surrounding whitespace.</summary>
    public static bool IsSingleCleanLine(string value) =>
        value.Length > 0 && value == value.Trim() && !value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal);
}
