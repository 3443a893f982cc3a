using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Transfer;

/// <summary>Reads <see cref="TransferOptions"/> from the environment.</summary>
internal static class TransferOptionsResolver
{
    public static TransferOptions Resolve(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new TransferOptions
        {
            RecipientKeys = RecipientKeys(environment),
            RequireEnvelope = environment.Bool(TransferOptions.RequireEnvelopeVariable, false),
            MaxArtifactBytes = environment.PositiveNumber(TransferOptions.MaxBytesVariable, 50L * 1024 * 1024 * 1024),
            CheckpointBytes = environment.PositiveNumber(TransferOptions.CheckpointBytesVariable, 16L * 1024 * 1024),
            ExpireAfter = ExpireAfter(environment),
        };
        return TransferOptionsValidator.Problem(options) is { } problem ? throw problem : options;
    }

    /// <summary>Hours as always; minutes when that variable is set instead (a short expiry for tests and small sites).</summary>
    private static TimeSpan ExpireAfter(HubEnvironment environment)
    {
        if (environment.Read(TransferOptions.ExpireMinutesVariable) is null)
        {
            return TimeSpan.FromHours(environment.PositiveNumber(TransferOptions.ExpireHoursVariable, 24));
        }

        return environment.Read(TransferOptions.ExpireHoursVariable) is null
            ? TimeSpan.FromMinutes(environment.PositiveNumber(TransferOptions.ExpireMinutesVariable, 24 * 60))
            : throw new ConfigurationContractException(
                TransferOptions.ExpireMinutesVariable, $"set either it or {TransferOptions.ExpireHoursVariable}, not both");
    }

    /// <summary>Envelope recipient keys, checked like any private key file (path, link, owner, mode) at start.</summary>
    private static RecipientKeyRing RecipientKeys(HubEnvironment environment)
    {
        var files = (environment.Read(TransferOptions.RecipientKeyFilesVariable) ?? "")
            .Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var requireRoot = environment.Bool(TransferOptions.RequireRootOwnedKeysVariable, true);
        try
        {
            return RecipientKeyRing.Load(files, requireRoot);
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationContractException(TransferOptions.RecipientKeyFilesVariable, ex.Message);
        }
    }
}
