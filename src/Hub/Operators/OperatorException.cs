namespace LxAnnotate.Hub.Operators;

/// <summary>An operator command refused; the message is the one line the command prints.</summary>
internal sealed class OperatorException(OperatorErrorKind kind, string message) : Exception(message)
{
    public OperatorErrorKind Kind { get; } = kind;
}
