namespace LxAnnotate.Bench.LoadGen;

/// <summary>One scenario's measurements: the tallies of all nodes, what the database and each process spent, and the check of what was stored.</summary>
internal sealed record ScenarioResult(
    int Replicas,
    double Seconds,
    IReadOnlyList<NodeTally> Nodes,
    DatabaseCounters Database,
    IReadOnlyList<double> ReplicaCpuSeconds,
    double GeneratorCpuSeconds,
    StoredCheck Stored,
    string LoadAverage)
{
    public int Artifacts => Nodes.Sum(n => n.Stored);

    public long Bytes => Nodes.Sum(n => n.StoredBytes);

    public int Errors => Nodes.Sum(n => n.Errors.Values.Sum());

    public double ArtifactsPerSecond => Artifacts / Seconds;

    public double MibPerSecond => Bytes / 1048576.0 / Seconds;

    public IReadOnlyList<double> Deliveries => Nodes.SelectMany(n => n.DeliverMs).ToList();

    public IReadOnlyList<double> Offers => Nodes.SelectMany(n => n.OfferMs).ToList();

    public IReadOnlyList<double> Uploads => Nodes.SelectMany(n => n.UploadMs).ToList();
}
