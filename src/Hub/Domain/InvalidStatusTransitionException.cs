namespace LxAnnotate.Hub.Domain;

public sealed class InvalidStatusTransitionException(UploadJobStatus from, UploadJobStatus to)
    : InvalidOperationException($"Upload job status cannot change from '{from.ToWire()}' to '{to.ToWire()}'.")
{
    public UploadJobStatus From { get; } = from;

    public UploadJobStatus To { get; } = to;
}
