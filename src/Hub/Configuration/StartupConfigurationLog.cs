using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// Logs at every start which variable each secret came from (never a value), the operator's decision to hash with the
/// legacy <c>default_salt</c>, and the variables of the original that are set but not used here.
/// </summary>
internal sealed partial class StartupConfigurationLog(
    ILogger<StartupConfigurationLog> logger, IConfiguration configuration, EncryptionSettings encryption, IdentitySalt? salt = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (encryption.KeySource is { } source)
        {
            MasterKeySource(logger, source);
        }

        if (encryption.ShadowedKeySource is { } shadowed)
        {
            MasterKeyShadowed(logger, shadowed, encryption.KeySource!);
        }

        if (salt is not null)
        {
            SaltSource(logger, salt.Source, salt.Retiring.Count);
        }

        if (salt?.LegacyDefault == true || salt is null && new HubEnvironment(name => configuration[name]).OptionalBool(DjangoSalt.AllowLegacyDefaultVariable) == true)
        {
            LegacyDefaultSalt(logger, DjangoSalt.AllowLegacyDefaultVariable);
        }

        var unused = PythonEnvironmentCatalog.NotUsedAmong(configuration.AsEnumerable().Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Key));
        if (unused.Count > 0)
        {
            KnownNotUsed(logger, string.Join(", ", unused.Select(p => p.Key)));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "master key from {Variable}")]
    private static partial void MasterKeySource(ILogger logger, string variable);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Shadowed} is set but not used: {Winner} wins, as in the original")]
    private static partial void MasterKeyShadowed(ILogger logger, string shadowed, string winner);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "hash salt from {Variable} ({Retiring} retiring generations)")]
    private static partial void SaltSource(ILogger logger, string variable, int retiring);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "{Setting} is on: patient hashes use the legacy literal salt 'default_salt' of older endoreg-db, which anyone can reproduce; move to a real salt (DJANGO_IDENTITY_SALT_KEYRING_FILE with default_salt as a retiring generation)")]
    private static partial void LegacyDefaultSalt(ILogger logger, string setting);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "variables of the original that LxAnnotate knows but does not use (lxa-hub check-config says why): {Names}")]
    private static partial void KnownNotUsed(ILogger logger, string names);
}
