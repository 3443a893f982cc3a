namespace LxAnnotate.Hub.Metrics;

/// <summary>Who may scrape <c>/metrics</c> and whether it is served; resolved by <see cref="MetricsOptionsResolver"/>.</summary>
internal sealed record MetricsOptions
{
    public const string EnabledVariable = "LXA_HUB_METRICS";
    public const string TokenFileVariable = "LXA_HUB_METRICS_TOKEN_FILE";
    public const string WorkerUrlVariable = "LXA_HUB_WORKER_METRICS_URL";

    /// <summary>A shorter token is refused at start: it would be guessable.</summary>
    public const int MinTokenLength = 32;

    /// <summary><c>/metrics</c> on the API listener (default on).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The bearer token a scraper must send; null: only direct loopback connections may scrape.</summary>
    public string? Token { get; init; }

    /// <summary>Where <c>lxa-hub worker</c> serves its own metrics (loopback only); null when off.</summary>
    public Uri? WorkerUrl { get; init; }

    // The token is a secret: never part of a printed options object.
    public override string ToString() => $"MetricsOptions {{ Enabled = {Enabled}, Token = {(Token is null ? "none" : "set")}, WorkerUrl = {WorkerUrl} }}";
}
