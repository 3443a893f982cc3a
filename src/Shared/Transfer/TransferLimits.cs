namespace LxAnnotate.Shared.Transfer;

/// <summary>
/// Message limits of the <c>lxannotate.v1.Transfer</c> service that sender and hub must agree on: the hub refuses
/// larger messages, and the node sizes its chunks and <c>DeliverMany</c> batches to fit.
/// </summary>
public static class TransferLimits
{
    public const int DefaultMaxChunkBytes = 1024 * 1024;

    /// <summary>Largest gRPC message the hub accepts: a chunk (or a <c>DeliverMany</c> call) plus room for its fields.</summary>
    public const int MaxMessageBytes = DefaultMaxChunkBytes + (64 * 1024);

    /// <summary>Most items one <c>DeliverMany</c> call may carry (<see cref="MaxMessageBytes"/> bounds it too).</summary>
    public const int MaxDeliverManyItems = 64;
}
