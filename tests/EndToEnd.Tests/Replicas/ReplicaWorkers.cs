using System.Globalization;
using System.Text.RegularExpressions;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary><c>lxa-hub worker</c> processes of a replicated installation, and what their logs say they did.</summary>
internal static partial class ReplicaWorkers
{
    /// <summary>A worker with the installation's environment (its database URL included), polling often.</summary>
    public static ChildProcess Start(HubProcess hub, int leaseSeconds) =>
        ChildProcess.StartDotnet(Binaries.Hub, ["worker"], new Dictionary<string, string?>(hub.Environment)
        {
            ["DJANGO_SALT"] = "e2e-salt",
            ["LX_ANNOTATE_WORKER_LEASE_SECONDS"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["LX_ANNOTATE_WORKER_POLL_SECONDS"] = "0.2",
        });

    /// <summary>The jobs a worker's log says it finished (event 5003).</summary>
    public static IReadOnlyList<Guid> Finished(ChildProcess worker) =>
        FinishedLine().Matches(worker.Output).Select(m => Guid.Parse(m.Groups["id"].Value)).ToList();

    [GeneratedRegex(@"job (?<id>[0-9a-f-]{36}) finished: ")]
    private static partial Regex FinishedLine();
}
