using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Names = LxAnnotate.Shared.Configuration.EnvironmentVariableNames;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Reads the master key ring with the original's precedence: <c>LX_ANNOTATE_MASTER_KEYRING_FILE</c> (a manifest of the
/// active and retiring key files), else <c>LX_ANNOTATE_MASTER_KEY</c>, else <c>LX_ANNOTATE_MASTER_KEY_FILE</c> (the current
/// key), plus <c>LX_ANNOTATE_MASTER_KEY_RETIRING_FILES</c> (older keys that may still read) with the latter two. Keys are
/// URL-safe base64 (with padding) of 16, 24 or 32 bytes; key files must be private regular files. Errors name the
/// variable or file, never key material.
/// </summary>
public static class EncryptionSettingsResolver
{
    public static EncryptionSettings Resolve(Func<string, string?> lookup, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(lookup);

        var required = ResolveRequired(lookup, role);
        var keyring = SettingText.Read(lookup, Names.MasterKeyringFile);
        var value = SettingText.Read(lookup, Names.MasterKey);
        var file = SettingText.Read(lookup, Names.MasterKeyFile);
        var retiringList = SettingText.Read(lookup, Names.MasterKeyRetiringFiles);
        if (keyring is not null)
        {
            return FromKeyring(keyring, required, retiringList, shadowed: value is not null ? Names.MasterKey : file is not null ? Names.MasterKeyFile : null);
        }

        if (value is null && file is null)
        {
            if (retiringList is not null)
            {
                throw new ConfigurationContractException(Names.MasterKeyRetiringFiles, "retiring keys need a current key (LX_ANNOTATE_MASTER_KEY_FILE)");
            }

            return new EncryptionSettings(required, null);
        }

        // As the original: the inline key wins over the key file when both are set.
        var current = value is not null ? Decode(value, Names.MasterKey) : ReadKeyFile(file!, Names.MasterKeyFile);
        var retiring = (retiringList ?? "")
            .Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(path => ReadKeyFile(path, Names.MasterKeyRetiringFiles))
            .ToList();
        try
        {
            return new EncryptionSettings(required, new MasterKeyRing(current, retiring))
            {
                KeySource = value is not null ? Names.MasterKey : Names.MasterKeyFile,
                ShadowedKeySource = value is not null && file is not null ? Names.MasterKeyFile : null,
            };
        }
        catch (ArgumentException)
        {
            throw new ConfigurationContractException(Names.MasterKeyRetiringFiles, "every key of the ring must be distinct (a retiring key repeats another key)");
        }
    }

    private static EncryptionSettings FromKeyring(string keyring, bool required, string? retiringList, string? shadowed)
    {
        if (retiringList is not null)
        {
            throw new ConfigurationContractException(Names.MasterKeyRetiringFiles, "not used with LX_ANNOTATE_MASTER_KEYRING_FILE; list the retiring key files in the keyring manifest");
        }

        var lines = KeyringFile.ReadLines(keyring, Names.MasterKeyringFile, identity: false);
        var keys = lines.Select(entry => Decode(entry.Line, Names.MasterKeyringFile, entry.Path)).ToList();
        try
        {
            return new EncryptionSettings(required, new MasterKeyRing(keys[0], keys.Skip(1)))
            {
                KeySource = Names.MasterKeyringFile,
                ShadowedKeySource = shadowed,
            };
        }
        catch (ArgumentException)
        {
            throw new ConfigurationContractException(Names.MasterKeyringFile, "keyring generations must have distinct key material");
        }
    }

    private static bool ResolveRequired(Func<string, string?> lookup, DeploymentRole role)
    {
        bool? value = new HubEnvironment(lookup).OptionalBool(Names.RequireEncryption);
        if (role == DeploymentRole.CentralHub)
        {
            return value == false
                ? throw new ConfigurationContractException(Names.RequireEncryption, "central_hub always requires encrypted storage; it cannot be turned off")
                : true;
        }

        return value ?? false;
    }

    /// <summary>Reads one key line from a private file: absolute path, regular file (no symlink), no group or other access.</summary>
    private static byte[] ReadKeyFile(string path, string variable) =>
        Decode(PrivateSecretFile.ReadLine(path, variable, "key file"), variable, path);

    private static byte[] Decode(string text, string variable, string? path = null)
    {
        var where = path is null ? "the value" : $"key file {SettingText.Quote(path)}";
        if (text.Length == 0 || text.Any(c => char.IsWhiteSpace(c) || c is '+' or '/') || text.Length % 4 != 0)
        {
            throw new ConfigurationContractException(variable, $"{where} is not one line of URL-safe base64 (with padding)");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));
        }
        catch (FormatException)
        {
            throw new ConfigurationContractException(variable, $"{where} is not one line of URL-safe base64 (with padding)");
        }

        return key.Length is 16 or 24 or 32
            ? key
            : throw new ConfigurationContractException(variable, $"{where} decodes to {key.Length} bytes; a master key has 16, 24 or 32");
    }
}
