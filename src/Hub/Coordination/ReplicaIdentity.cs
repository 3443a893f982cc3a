using System.Text.RegularExpressions;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Coordination;

/// <summary>
/// The name of this <c>lxa-hub serve</c> process among the replicas on one database: in the log lines of the
/// transfers it serves, in <c>/readyz</c>, and as the PostgreSQL application name of the sessions that hold its locks.
/// </summary>
internal sealed partial record ReplicaIdentity(string Id)
{
    public const string Variable = "LXA_HUB_REPLICA_ID";

    /// <summary>Host name and process id: unique among the replicas of one host, and among hosts with distinct names.</summary>
    public static ReplicaIdentity Default { get; } = new($"{Environment.MachineName}-{Environment.ProcessId}");

    public static ReplicaIdentity Resolve(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var value = environment.Read(Variable);
        if (value is null)
        {
            return Default;
        }

        // It ends up in a PostgreSQL application name (63 bytes) next to a prefix, and in log lines.
        return Allowed().IsMatch(value)
            ? new ReplicaIdentity(value)
            : throw new ConfigurationContractException(Variable, "must be 1 to 40 of the characters A-Z a-z 0-9 . _ -");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,40}$")]
    private static partial Regex Allowed();
}
