namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// The replica tests run one after the other: each starts two or three hubs on one database and one data root (with
/// nginx, a PostgreSQL standby or workers beside them), and the lease test reads which replica holds the cluster-wide lease.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicaTestGroup
{
    public const string Name = "replicas";
}
