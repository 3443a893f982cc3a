using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>Application-level encryption: the master key ring, if configured, and whether the role requires one.</summary>
/// <param name="Required">Encryption at rest is mandatory (always in central_hub; elsewhere <c>LX_ANNOTATE_REQUIRE_ENCRYPTION</c>).</param>
/// <param name="KeyRing">The configured keys; null when none is configured (sensitive artifacts then stay plaintext).</param>
public sealed record EncryptionSettings(bool Required, MasterKeyRing? KeyRing)
{
    public static EncryptionSettings Disabled { get; } = new(false, null);

    /// <summary>The variable the key ring came from (null without keys), for logs: never key material.</summary>
    public string? KeySource { get; init; }

    /// <summary>A key variable that was also set but not used, because <see cref="KeySource"/> wins as in the original.</summary>
    public string? ShadowedKeySource { get; init; }

    /// <summary>Stops start-up with one line when encryption is required and no master key is configured.</summary>
    /// <exception cref="ConfigurationContractException">Required but not configured.</exception>
    public void EnsureUsable(DeploymentRole role)
    {
        if (Required && KeyRing is null)
        {
            throw new ConfigurationContractException(
                EnvironmentVariableNames.MasterKeyFile,
                role == DeploymentRole.CentralHub
                    ? "central_hub requires encrypted storage, but no master key is configured (set LX_ANNOTATE_MASTER_KEY_FILE or LX_ANNOTATE_MASTER_KEY; the application never generates one)"
                    : "LX_ANNOTATE_REQUIRE_ENCRYPTION is on, but no master key is configured (set LX_ANNOTATE_MASTER_KEY_FILE or LX_ANNOTATE_MASTER_KEY; the application never generates one)");
        }
    }

    /// <summary>The key ring, or a one-line configuration error for commands that cannot work without it.</summary>
    public MasterKeyRing RequireKeyRing() =>
        KeyRing ?? throw new ConfigurationContractException(
            EnvironmentVariableNames.MasterKeyFile,
            "no master key is configured (set LX_ANNOTATE_MASTER_KEY_FILE or LX_ANNOTATE_MASTER_KEY)");
}
