namespace LxAnnotate.Hub.Transfer;

public sealed class TransferException(TransferErrorKind kind, string message, long? expectedOffset = null) : Exception(message)
{
    public TransferErrorKind Kind { get; } = kind;

    /// <summary>For <see cref="TransferErrorKind.WrongOffset"/>: the durable offset to resume at.</summary>
    public long? ExpectedOffset { get; } = expectedOffset;
}
