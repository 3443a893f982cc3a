namespace LxAnnotate.Node.PythonEraHub;

/// <summary>What one attempt at a Python-era hub came to: applied (with the hub's upload job), worth a retry, or refused.</summary>
internal sealed record PythonEraOutcome(string? UploadJobId, bool Retry, string Message)
{
    public static PythonEraOutcome Applied(string uploadJobId) => new(uploadJobId, false, "applied");

    public static PythonEraOutcome RetryLater(string message) => new(null, true, message);

    public static PythonEraOutcome Refused(string message) => new(null, false, message);
}
