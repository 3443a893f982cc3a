namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// One open transfer in a progress event: id, durable offset, size and the rate over the last interval (null in a
/// connection's first event, which has no interval yet). Nothing else: no names, no node or center.
/// </summary>
internal sealed record TransferProgress(Guid Id, long ReceivedBytes, long SizeBytes, int Percent, long? BytesPerSecond);
