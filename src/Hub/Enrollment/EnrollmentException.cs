namespace LxAnnotate.Hub.Enrollment;

/// <summary>A refused enrollment or renewal; the message is for the node's operator and holds no secret.</summary>
internal sealed class EnrollmentException(EnrollmentErrorKind kind, string message) : Exception(message)
{
    public EnrollmentErrorKind Kind { get; } = kind;
}
