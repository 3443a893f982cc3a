namespace LxAnnotate.Node.Watcher;

/// <summary>What one scan of one folder did; logged as counts, never as names.</summary>
internal sealed class ScanTally
{
    public int Admitted { get; set; }

    public int Duplicates { get; set; }

    public int Quarantined { get; set; }

    public int Failed { get; set; }

    public int Waiting { get; set; }

    public bool AnythingHappened => Admitted + Duplicates + Quarantined + Failed > 0;
}
