using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// Loads a keyring manifest (<c>LX_ANNOTATE_MASTER_KEYRING_FILE</c>, <c>DJANGO_IDENTITY_SALT_KEYRING_FILE</c>) and the secret
/// lines it names, with the original's rules: private files, unique paths, one clean line each, distinct values, and
/// <c>default_salt</c> only as an identity keyring's retiring generation when the manifest enrolls it explicitly.
/// </summary>
internal static class KeyringFile
{
    public const string LegacyDefaultSalt = "default_salt";

    private const int MaxManifestBytes = 65536;

    /// <returns>The active secret file and its line first, then the retiring ones in manifest order.</returns>
    public static IReadOnlyList<(string Path, string Line)> ReadLines(string manifestPath, string variable, bool identity)
    {
        var manifest = KeyringManifestParser.Parse(PrivateSecretFile.ReadText(manifestPath, variable, "keyring file", MaxManifestBytes), variable);
        string[] paths = [manifest.Active, .. manifest.Retiring];
        if (paths.Distinct(StringComparer.Ordinal).Count() != paths.Length)
        {
            throw new ConfigurationContractException(variable, "keyring file references must be unique");
        }

        if (!identity && manifest.AllowLegacyDefaultSalt)
        {
            throw new ConfigurationContractException(variable, "allow_legacy_default_salt applies only to identity salt keyrings");
        }

        var lines = new List<(string Path, string Line)>(paths.Length);
        for (var index = 0; index < paths.Length; index++)
        {
            var line = PrivateSecretFile.ReadLine(paths[index], variable, "secret file");
            if (!PrivateSecretFile.IsSingleCleanLine(line))
            {
                throw new ConfigurationContractException(variable, $"secret file {SettingText.Quote(paths[index])} must hold one non-blank line without surrounding whitespace");
            }

            if (identity && line == LegacyDefaultSalt && !(index > 0 && manifest.AllowLegacyDefaultSalt))
            {
                throw new ConfigurationContractException(variable, $"secret file {SettingText.Quote(paths[index])} holds 'default_salt', which is allowed only as a retiring generation with allow_legacy_default_salt: true");
            }

            lines.Add((paths[index], line));
        }

        return lines.Select(l => l.Line).Distinct(StringComparer.Ordinal).Count() == lines.Count
            ? lines
            : throw new ConfigurationContractException(variable, "keyring generations must have distinct secret material");
    }
}
