using System.Globalization;
using System.Text.RegularExpressions;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary><c>lxa-hub worker</c> processes of a replicated installation, and what their logs say they did.</summary>
internal static partial class ReplicaWorkers
{
    /// <summary>A worker with the installation's environment (its database URL included), polling often.</summary>
    /// <param name="ffmpegDir">Where its ffprobe and ffmpeg are, or null for those on PATH.</param>
    public static ChildProcess Start(HubProcess hub, int leaseSeconds, string? ffmpegDir = null) =>
        ChildProcess.StartDotnet(Binaries.Hub, ["worker"], new Dictionary<string, string?>(hub.Environment)
        {
            ["DJANGO_SALT"] = "e2e-salt",
            ["LX_ANNOTATE_WORKER_LEASE_SECONDS"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["LX_ANNOTATE_WORKER_POLL_SECONDS"] = "0.2",
            ["LX_ANNOTATE_FFMPEG_DIR"] = ffmpegDir,
        });

    /// <summary>
    /// A tools folder whose ffprobe pauses before each probe, so that one job lasts long enough for a second worker to
    /// claim the next: pacing, not a timed assertion.
    /// </summary>
    public static string PacedTools(string directory, double seconds)
    {
        var tools = Directory.CreateDirectory(Path.Combine(directory, "paced-tools")).FullName;
        var probe = Path.Combine(tools, "ffprobe");
        File.WriteAllText(probe, string.Create(CultureInfo.InvariantCulture, $"#!/bin/sh\nsleep {seconds}\nexec /usr/bin/ffprobe \"$@\"\n"));
        File.SetUnixFileMode(probe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(tools, "ffmpeg"), "/usr/bin/ffmpeg");
        return tools;
    }

    /// <summary>True once the worker's log says it runs (event 5001).</summary>
    public static bool Started(ChildProcess worker) => worker.Output.Contains(" started (lease ", StringComparison.Ordinal);

    /// <summary>The jobs a worker's log says it finished (event 5003).</summary>
    public static IReadOnlyList<Guid> Finished(ChildProcess worker) =>
        FinishedLine().Matches(worker.Output).Select(m => Guid.Parse(m.Groups["id"].Value)).ToList();

    /// <summary>
    /// The jobs the workers' logs say they finished, once they name <paramref name="count"/> (or after 30 s): a worker
    /// logs a job after its result is committed, so the log can trail what the database already shows.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> FinishedAsync(int count, params ChildProcess[] workers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (workers.Sum(w => Finished(w).Count) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return workers.SelectMany(Finished).ToList();
    }

    [GeneratedRegex(@"job (?<id>[0-9a-f-]{36}) finished: ")]
    private static partial Regex FinishedLine();
}
