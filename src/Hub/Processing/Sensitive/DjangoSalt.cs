using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// The salt of the patient hashes, shared with the original system, with its precedence: the identity keyring
/// (<c>DJANGO_IDENTITY_SALT_KEYRING_FILE</c>), else the file named by <c>DJANGO_SALT_FILE</c> (one trailing line break is
/// allowed there), else <c>DJANGO_SALT</c>. Refused: unset, empty, any whitespace or line break inside, and the older
/// endoreg-db's literal <c>default_salt</c> unless the operator sets <c>LXA_ALLOW_LEGACY_DEFAULT_SALT=true</c> (then it is
/// also the salt when none is set, as those versions hashed). Errors never quote the value.
/// </summary>
internal static class DjangoSalt
{
    public const string Variable = "DJANGO_SALT";
    public const string FileVariable = "DJANGO_SALT_FILE";
    public const string KeyringVariable = "DJANGO_IDENTITY_SALT_KEYRING_FILE";
    public const string AllowLegacyDefaultVariable = "LXA_ALLOW_LEGACY_DEFAULT_SALT";

    /// <summary>The active salt (<see cref="ResolveSalt"/>).</summary>
    public static string Resolve(Func<string, string?> read) => ResolveSalt(read).Active;

    public static IdentitySalt ResolveSalt(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var keyring = SettingText.Read(read, KeyringVariable);
        if (keyring is not null)
        {
            var lines = KeyringFile.ReadLines(keyring, KeyringVariable, identity: true);
            return new IdentitySalt(
                Validate(KeyringVariable, lines[0].Line, allowLegacy: false), lines.Skip(1).Select(l => l.Line).ToList(), KeyringVariable, LegacyDefault: false);
        }

        var allowLegacy = new HubEnvironment(read).Bool(AllowLegacyDefaultVariable, false);
        var file = read(FileVariable);
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
            return Single(FileVariable, Validate(FileVariable, text, allowLegacy));
        }

        var value = read(Variable);
        if (string.IsNullOrEmpty(value) && allowLegacy)
        {
            // Older endoreg-db hashed with this literal when DJANGO_SALT was unset.
            return Single(AllowLegacyDefaultVariable, KeyringFile.LegacyDefaultSalt);
        }

        return Single(Variable, Validate(Variable, value, allowLegacy));
    }

    private static IdentitySalt Single(string source, string salt) =>
        new(salt, [], source, LegacyDefault: salt == KeyringFile.LegacyDefaultSalt);

    private static string Validate(string variable, string? salt, bool allowLegacy)
    {
        if (string.IsNullOrEmpty(salt))
        {
            throw new ConfigurationContractException(variable, "the hash salt is not set; patient hashes need the salt the original system uses (DJANGO_SALT_FILE, DJANGO_SALT or DJANGO_IDENTITY_SALT_KEYRING_FILE)");
        }

        if (string.Equals(salt, KeyringFile.LegacyDefaultSalt, StringComparison.Ordinal) && !allowLegacy)
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
