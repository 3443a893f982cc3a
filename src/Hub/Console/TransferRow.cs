using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>A transfer as the overview and the transfers page list it: ids, states and byte counts only.</summary>
internal sealed record TransferRow(
    Guid Id, string State, string CenterKey, string? NodeKey, long ReceivedBytes, long SizeBytes, Guid? UploadJobId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public int Percent => SizeBytes == 0 ? 100 : (int)(ReceivedBytes * 100 / SizeBytes);

    /// <summary>Bytes per second from the first to the latest byte received; an average, not the current rate.</summary>
    public long AverageRate => UpdatedAt > CreatedAt ? (long)(ReceivedBytes / (UpdatedAt - CreatedAt).TotalSeconds) : 0;

    /// <summary>Still receiving bytes: the live script follows its progress.</summary>
    public bool InFlight => State == TransferState.Open.ToWire();

    public static TransferRow Of(TransferSession transfer, string centerKey)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return new TransferRow(transfer.Id, transfer.State.ToWire(), centerKey, transfer.SenderNodeKey,
            transfer.ReceivedBytes, transfer.SizeBytes, transfer.UploadJobId, transfer.CreatedAt, transfer.UpdatedAt);
    }
}
