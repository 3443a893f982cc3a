namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>A transfer still receiving bytes: which node, how far, since when.</summary>
internal sealed record OpenTransferRow(Guid Id, string? NodeKey, long ReceivedBytes, long SizeBytes, DateTimeOffset UpdatedAt)
{
    public int Percent => SizeBytes == 0 ? 100 : (int)(ReceivedBytes * 100 / SizeBytes);
}
