namespace LxAnnotate.Hub.Enrollment;

/// <summary>Log lines of enrollment and renewal: node keys, thumbprints and reasons, never a token, key or CSR.</summary>
internal static partial class EnrollmentLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Issued node certificate {Thumbprint} to node {NodeKey} by {Method}, valid until {NotAfter:u}")]
    public static partial void Issued(ILogger logger, string nodeKey, string method, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning,
        Message = "Refused {Method} for node {NodeKey}: {Kind}")]
    public static partial void Refused(ILogger logger, string method, string nodeKey, EnrollmentErrorKind kind);
}
