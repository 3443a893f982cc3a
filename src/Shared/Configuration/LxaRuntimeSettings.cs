namespace LxAnnotate.Shared.Configuration;

/// <summary>The validated runtime configuration both binaries start from.</summary>
public sealed record LxaRuntimeSettings(
    DeploymentRole Role,
    DataPaths Paths,
    DatabaseSettings Database,
    string? DefaultCenterKey)
{
    /// <summary>The variable the data root came from: one of the root variables, or <c>XDG_DATA_HOME</c>/<c>HOME</c> for the original's fallback.</summary>
    public string DataRootSource { get; init; } = EnvironmentVariableNames.EncryptedDataDir;
}
