using Prometheus;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// The instruments of <c>lxa-hub serve</c>, in a registry of their own (one per host, so two hubs in one test
/// process never share counters). Label values are bounded: center and node keys are registered by operators,
/// the other labels come from fixed lists; nothing a sender writes into a message becomes a label.
/// </summary>
internal sealed class HubMetrics
{
    /// <summary>The center label of calls on the local socket (the trusted drop zone): no center key starts with '_'.</summary>
    public const string LocalCenter = "_local";

    /// <summary>The center label of calls whose sender could not be authenticated.</summary>
    public const string UnknownCenter = "_unknown";

    public HubMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        ReceivedBytes = factory.CreateCounter("lxa_hub_received_bytes_total", "Artifact bytes received over gRPC (Upload chunks, Deliver contents).", "center_key", "call");
        Offers = factory.CreateCounter("lxa_hub_offers_total", "Artifacts declared by Offer, Deliver or a DeliverMany item, by outcome.", "center_key", "outcome");
        TransfersCompleted = factory.CreateCounter("lxa_hub_transfers_completed_total", "Upload streams that ended with a receipt.", "center_key", "result");
        TransfersFailed = factory.CreateCounter("lxa_hub_transfers_failed_total", "Upload streams that ended without a receipt, by gRPC status.", "center_key", "reason");
        SmallDeliveries = factory.CreateCounter("lxa_hub_small_deliveries_total", "Artifacts sent in one call (Deliver, DeliverMany items), by outcome.", "center_key", "outcome");
        RestUploads = factory.CreateCounter("lxa_hub_rest_uploads_total", "POST /api/upload/ answers by HTTP status code.", "status_code");
        Heartbeats = factory.CreateCounter("lxa_hub_heartbeats_total", "Node heartbeats received, by outcome.", "center_key", "outcome");
        DatabaseErrors = factory.CreateCounter("lxa_hub_database_errors_total", "Calls answered with 'database unavailable'.", "component");
        StorageErrors = factory.CreateCounter("lxa_hub_storage_errors_total", "Calls answered with 'storage full'.", "component");
        UploadJobs = factory.CreateGauge("lxa_hub_upload_jobs", "Upload jobs by center and status (the job queue), read from the database at each scrape.", "center_key", "status");
        Transfers = factory.CreateGauge("lxa_hub_transfers", "Transfer sessions by state, read from the database at each scrape.", "state");
        NodeLastSeen = factory.CreateGauge("lxa_node_last_seen_timestamp_seconds", "When the hub last received a heartbeat of the (active) node, Unix time.", "node_key", "center_key");
        NodeOutbox = factory.CreateGauge("lxa_node_outbox_items", "Outbox items of the node by state, as its latest heartbeat reported.", "node_key", "center_key", "state");
        NodeOldestPending = factory.CreateGauge("lxa_node_oldest_pending_age_seconds", "Age of the node's oldest item waiting for the hub, at its latest heartbeat.", "node_key", "center_key");
        NodeQuarantined = factory.CreateGauge("lxa_node_quarantined_files", "Files in the node's quarantine folder, at its latest heartbeat.", "node_key", "center_key");
        NodeClockOffset = factory.CreateGauge("lxa_node_clock_offset_seconds", "The node's clock minus the hub's at its latest heartbeat (within the one-way latency).", "node_key", "center_key");
        NodeCertificateExpiry = factory.CreateGauge("lxa_node_certificate_expiry_timestamp_seconds", "Latest not-after of the (active) node's active certificates, Unix time.", "node_key", "center_key");
        StorageFreeBytes = factory.CreateGauge("lxa_hub_storage_free_bytes", "Bytes available to the hub on the file system of STORAGE_DIR.");
        StorageSizeBytes = factory.CreateGauge("lxa_hub_storage_size_bytes", "Size of the file system of STORAGE_DIR.");
        CollectErrors = factory.CreateCounter("lxa_hub_metrics_collect_errors_total", "Scrapes whose database or storage gauges could not be read (they keep their previous values).", "source");
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public Counter ReceivedBytes { get; }

    public Counter Offers { get; }

    public Counter TransfersCompleted { get; }

    public Counter TransfersFailed { get; }

    public Counter SmallDeliveries { get; }

    public Counter RestUploads { get; }

    public Counter Heartbeats { get; }

    public Counter DatabaseErrors { get; }

    public Counter StorageErrors { get; }

    public Gauge UploadJobs { get; }

    public Gauge Transfers { get; }

    public Gauge NodeLastSeen { get; }

    public Gauge NodeOutbox { get; }

    public Gauge NodeOldestPending { get; }

    public Gauge NodeQuarantined { get; }

    public Gauge NodeClockOffset { get; }

    public Gauge NodeCertificateExpiry { get; }

    public Gauge StorageFreeBytes { get; }

    public Gauge StorageSizeBytes { get; }

    public Counter CollectErrors { get; }
}
