using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Names = LxAnnotate.Shared.Configuration.EnvironmentVariableNames;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Reads the master key ring: <c>LX_ANNOTATE_MASTER_KEY</c> or <c>LX_ANNOTATE_MASTER_KEY_FILE</c> (the current key) and
/// <c>LX_ANNOTATE_MASTER_KEY_RETIRING_FILES</c> (older keys that may still read). Keys are URL-safe base64 (with padding)
/// of 16, 24 or 32 bytes; key files must be private regular files. Errors name the variable or file, never key material.
/// </summary>
public static class EncryptionSettingsResolver
{
    private const int MaxKeyFileBytes = 4096;

    private const UnixFileMode GroupOrOtherAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static EncryptionSettings Resolve(Func<string, string?> lookup, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(lookup);

        var required = ResolveRequired(lookup, role);
        var value = SettingText.Read(lookup, Names.MasterKey);
        var file = SettingText.Read(lookup, Names.MasterKeyFile);
        var retiringList = SettingText.Read(lookup, Names.MasterKeyRetiringFiles);
        if (value is not null && file is not null)
        {
            throw new ConfigurationContractException(Names.MasterKey, "set LX_ANNOTATE_MASTER_KEY or LX_ANNOTATE_MASTER_KEY_FILE, not both");
        }

        if (value is null && file is null)
        {
            if (retiringList is not null)
            {
                throw new ConfigurationContractException(Names.MasterKeyRetiringFiles, "retiring keys need a current key (LX_ANNOTATE_MASTER_KEY_FILE)");
            }

            return new EncryptionSettings(required, null);
        }

        var current = value is not null ? Decode(value, Names.MasterKey) : ReadKeyFile(file!, Names.MasterKeyFile);
        var retiring = (retiringList ?? "")
            .Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(path => ReadKeyFile(path, Names.MasterKeyRetiringFiles))
            .ToList();
        try
        {
            return new EncryptionSettings(required, new MasterKeyRing(current, retiring));
        }
        catch (ArgumentException)
        {
            throw new ConfigurationContractException(Names.MasterKeyRetiringFiles, "every key of the ring must be distinct (a retiring key repeats another key)");
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
    private static byte[] ReadKeyFile(string path, string variable)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ConfigurationContractException(variable, $"key file {SettingText.Quote(path)} must be an absolute path");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ConfigurationContractException(variable, $"key file {SettingText.Quote(path)} does not exist or is not a regular file");
        }

        if (info.LinkTarget is not null)
        {
            throw new ConfigurationContractException(variable, $"key file {SettingText.Quote(path)} must be a regular file, not a symbolic link");
        }

        if ((info.UnixFileMode & GroupOrOtherAccess) != 0)
        {
            throw new ConfigurationContractException(variable, $"key file {SettingText.Quote(path)} must not be group- or world-accessible (chmod 600)");
        }

        if (info.Length is 0 or > MaxKeyFileBytes)
        {
            throw new ConfigurationContractException(variable, $"key file {SettingText.Quote(path)} is empty or larger than {MaxKeyFileBytes} bytes");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationContractException(variable, $"cannot read key file {SettingText.Quote(path)}", ex);
        }

        // One line; a single trailing newline is allowed, nothing else is normalized.
        var line = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        return Decode(line, variable, path);
    }

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
