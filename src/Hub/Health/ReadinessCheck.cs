namespace LxAnnotate.Hub.Health;

internal sealed record ReadinessCheck(bool Ok, string Detail);
