namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The rate of each open transfer over the last interval of one progress connection: the growth of its durable
/// offset since the previous event, per second. Only the transfers of the latest event are remembered.
/// </summary>
internal sealed class ProgressRates
{
    private Dictionary<Guid, (long Offset, DateTimeOffset At)> previous = [];

    public ProgressEvent Next(IEnumerable<TransferRow> open, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(open);
        var next = new Dictionary<Guid, (long Offset, DateTimeOffset At)>();
        var transfers = new List<TransferProgress>();
        foreach (var row in open)
        {
            long? rate = null;
            if (previous.TryGetValue(row.Id, out var before) && now > before.At)
            {
                // An offset never shrinks while a transfer is open; a restart of the hub's bookkeeping must not read as a negative rate.
                rate = (long)(Math.Max(0, row.ReceivedBytes - before.Offset) / (now - before.At).TotalSeconds);
            }

            next[row.Id] = (row.ReceivedBytes, now);
            transfers.Add(new TransferProgress(row.Id, row.ReceivedBytes, row.SizeBytes, row.Percent, rate));
        }

        previous = next;
        return new ProgressEvent(transfers);
    }
}
