namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>A transfer as the transfers page lists it: ids, states and byte counts only.</summary>
internal sealed record TransferRow(
    Guid Id, string State, string CenterKey, string? NodeKey, long ReceivedBytes, long SizeBytes, Guid? UploadJobId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public int Percent => SizeBytes == 0 ? 100 : (int)(ReceivedBytes * 100 / SizeBytes);

    /// <summary>Bytes per second from the first to the latest byte received; an average, not the current rate.</summary>
    public long AverageRate => UpdatedAt > CreatedAt ? (long)(ReceivedBytes / (UpdatedAt - CreatedAt).TotalSeconds) : 0;
}
