using System.Diagnostics;
using Prometheus;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// The instruments of <c>lxa-hub worker</c>, a process of its own, served on its own loopback listener
/// (<c>LXA_HUB_WORKER_METRICS_URL</c>) by <see cref="WorkerMetricsServer"/>.
/// </summary>
internal sealed class WorkerMetrics
{
    /// <summary>OCR confidence is 0…1; finer steps near the top, where the "verified" threshold lies.</summary>
    private static readonly double[] ConfidenceBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0];

    /// <summary>From a 10 ms claim to an hour-long video.</summary>
    private static readonly double[] DurationBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    public WorkerMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        StageDuration = factory.CreateHistogram("lxa_worker_stage_duration_seconds", "Time per job stage: claim (also when nothing was due), pipeline (working copy and processing), complete.",
            new HistogramConfiguration { LabelNames = ["stage", "content_kind"], Buckets = DurationBuckets });
        JobsFinished = factory.CreateCounter("lxa_worker_jobs_finished_total", "Jobs the worker finished, by status and error code.", "status", "error_code");
        FieldConfidence = factory.CreateHistogram("lxa_worker_ocr_field_confidence", "OCR confidence (0..1) of each overlay field the worker decided, as stored in FieldQuality.",
            new HistogramConfiguration { LabelNames = ["field"], Buckets = ConfidenceBuckets });
        DatabaseErrors = factory.CreateCounter("lxa_worker_database_errors_total", "Queue operations that failed because the database was unavailable.");
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public Histogram StageDuration { get; }

    public Counter JobsFinished { get; }

    public Histogram FieldConfidence { get; }

    public Counter DatabaseErrors { get; }

    /// <summary>Times a stage into <see cref="StageDuration"/> and spans it (when tracing is on) until disposed.</summary>
    public StageTimer Stage(string stage, string? contentType = null) => new(this, stage, ContentKinds.Of(contentType));

    public void Finished(string status, string? errorCode) => JobsFinished.WithLabels(status, errorCode ?? "").Inc();

    /// <summary>
    /// One decided overlay field's OCR confidence. Fed where the worker stores FieldQuality; the field names are the
    /// processor profile's fixed names (never read text).
    /// </summary>
    public void FieldRead(string field, double confidence) => FieldConfidence.WithLabels(field).Observe(Math.Clamp(confidence, 0, 1));

    internal sealed class StageTimer(WorkerMetrics metrics, string stage, string contentKind) : IDisposable
    {
        private readonly long started = Stopwatch.GetTimestamp();
        private readonly Activity? activity = HubTracing.Source.StartActivity("worker." + stage)?.SetTag("lxa.content_kind", contentKind);

        public void Dispose()
        {
            metrics.StageDuration.WithLabels(stage, contentKind).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            activity?.Dispose();
        }
    }
}
