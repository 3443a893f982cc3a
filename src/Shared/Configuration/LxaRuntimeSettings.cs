namespace LxAnnotate.Shared.Configuration;

/// <summary>The validated runtime configuration both binaries start from.</summary>
public sealed record LxaRuntimeSettings(
    DeploymentRole Role,
    DataPaths Paths,
    DatabaseSettings Database,
    string? DefaultCenterKey);
