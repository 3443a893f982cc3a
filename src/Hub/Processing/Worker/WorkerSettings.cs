using System.Globalization;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>Settings of <c>lxa-hub worker</c>, from the environment (one-line errors naming the variable).</summary>
/// <param name="LeaseDuration">How long a claim holds without a heartbeat (<c>LX_ANNOTATE_WORKER_LEASE_SECONDS</c>, default 300).</param>
/// <param name="PollInterval">Pause when the queue is empty (<c>LX_ANNOTATE_WORKER_POLL_SECONDS</c>, default 5).</param>
/// <param name="ToolTimeout">Limit of one ffprobe call (<c>LX_ANNOTATE_WORKER_PROBE_TIMEOUT_SECONDS</c>, default 60).</param>
/// <param name="FfmpegDirectory">Folder with <c>ffprobe</c>/<c>ffmpeg</c> (<c>LX_ANNOTATE_FFMPEG_DIR</c>, default: from PATH).</param>
/// <param name="Owner">This worker's name in <c>processing_lease_owner</c>: host, process id and a random suffix.</param>
internal sealed record WorkerSettings(
    TimeSpan LeaseDuration,
    TimeSpan PollInterval,
    TimeSpan ToolTimeout,
    string? FfmpegDirectory,
    string Owner)
{
    public const string LeaseSecondsVariable = "LX_ANNOTATE_WORKER_LEASE_SECONDS";
    public const string PollSecondsVariable = "LX_ANNOTATE_WORKER_POLL_SECONDS";
    public const string ProbeTimeoutVariable = "LX_ANNOTATE_WORKER_PROBE_TIMEOUT_SECONDS";
    public const string FfmpegDirVariable = "LX_ANNOTATE_FFMPEG_DIR";

    /// <summary>Renewed three times per lease, so one slow heartbeat does not lose the job.</summary>
    public TimeSpan HeartbeatInterval => LeaseDuration / 3;

    public static WorkerSettings Resolve(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var ffmpegDir = read(FfmpegDirVariable) is { Length: > 0 } dir ? dir : null;
        if (ffmpegDir is not null && !Directory.Exists(ffmpegDir))
        {
            throw new ConfigurationContractException(FfmpegDirVariable, "names a folder that does not exist");
        }

        return new WorkerSettings(
            Seconds(read, LeaseSecondsVariable, 300, min: 2, max: 86400),
            Seconds(read, PollSecondsVariable, 5, min: 0.1, max: 3600),
            Seconds(read, ProbeTimeoutVariable, 60, min: 1, max: 3600),
            ffmpegDir,
            string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}"));
    }

    private static TimeSpan Seconds(Func<string, string?> read, string name, double fallback, double min, double max)
    {
        var text = read(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromSeconds(fallback);
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationContractException(name, string.Create(CultureInfo.InvariantCulture,
                $"must be a number of seconds from {min} to {max}"));
        }

        return TimeSpan.FromSeconds(value);
    }
}
