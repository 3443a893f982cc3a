namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>Result of <c>lxa-hub jobs retry</c>.</summary>
internal sealed record JobRetry(JobView Job, string PreviousStatus);
