using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// The salt of the patient hashes, shared with the original system: <c>DJANGO_SALT</c>, or the file named by
/// <c>DJANGO_SALT_FILE</c> (one trailing line break is allowed there). Refused: both set, unset, empty,
/// the original's <c>default_salt</c>, and any whitespace or line break inside. Errors never quote the value.
/// </summary>
internal static class DjangoSalt
{
    public const string Variable = "DJANGO_SALT";
    public const string FileVariable = "DJANGO_SALT_FILE";
    private const string OriginalDefault = "default_salt";

    public static string Resolve(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var value = read(Variable);
        var file = read(FileVariable);
        if (!string.IsNullOrEmpty(value) && !string.IsNullOrEmpty(file))
        {
            throw new ConfigurationContractException(Variable, $"set either {Variable} or {FileVariable}, not both");
        }

        if (!string.IsNullOrEmpty(file))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationContractException(FileVariable, $"cannot read the salt file ({ex.GetType().Name})");
            }

            text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
                : text.EndsWith('\n') ? text[..^1] : text;
            return Validate(FileVariable, text);
        }

        return Validate(Variable, value);
    }

    private static string Validate(string variable, string? salt)
    {
        if (string.IsNullOrEmpty(salt))
        {
            throw new ConfigurationContractException(variable, "the hash salt is not set; patient hashes need the salt the original system uses");
        }

        if (string.Equals(salt, OriginalDefault, StringComparison.Ordinal))
        {
            throw new ConfigurationContractException(variable, "the hash salt is the placeholder 'default_salt'; set the real salt");
        }

        if (salt.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ConfigurationContractException(variable, "the hash salt contains whitespace or a line break");
        }

        return salt;
    }
}
