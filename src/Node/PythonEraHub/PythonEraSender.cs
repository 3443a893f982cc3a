using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.PythonEraHub;

/// <summary>
/// Delivers one outbox item to a Python-era hub: create the transfer (<c>POST /api/media/hub/transfers/</c>),
/// then the processed media (<c>POST …/{transfer_key}/media/</c>), 3.0 as a staged envelope (the same
/// ciphertext on every retry) or 2.0 as plaintext. A transfer the hub already applied for this content is
/// delivered without sending the media again, so a retry after a crash never makes the job inconsistent.
/// </summary>
internal sealed partial class PythonEraSender(PythonEraHubSettings settings, PythonEraHubClient client, EnvelopeStager envelopes, ILogger<PythonEraSender> logger)
{
    private const string Applied = "applied";
    private const string AwaitingMedia = "awaiting_media";

    public bool Enabled => settings.Enabled;

    public async Task<PythonEraOutcome> SendAsync(OutboxItem item, IReadOnlyDictionary<string, string> hints, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(hints);
        if (PythonEraTransfer.ResourceKind(item.ContentType) is not { } kind)
        {
            return PythonEraOutcome.Refused($"a Python-era hub takes videos and PDF reports only, not {item.ContentType}");
        }

        if ((item.CenterKey ?? settings.SourceCenterKey) is not { } center)
        {
            return PythonEraOutcome.Refused("no center key: the item names none and neither LXA_NODE_HUB_SOURCE_CENTER_KEY nor LX_ANNOTATE_DEFAULT_CENTER is set");
        }

        if (hints.TryGetValue("sidecar.anonymized", out var anonymized) && string.Equals(anonymized, "false", StringComparison.OrdinalIgnoreCase))
        {
            return PythonEraOutcome.Refused("the sidecar says the file is not anonymized; a Python-era hub takes validated anonymized media only");
        }

        var transfer = PythonEraTransfer.For(item, kind, center, settings, hints);
        var created = await client.CreateAsync(transfer.Payload, cancellationToken);
        var job = created.StatusCode switch
        {
            200 or 201 => created,
            409 => await client.StatusAsync(transfer.TransferKey, cancellationToken),
            _ => null,
        };
        if (job is null)
        {
            return Classify(created);
        }

        LogCreated(logger, item.Id, created.StatusCode, job.Text("transfer_status") ?? "?");
        if (AppliedOutcome(item, job) is { } done)
        {
            return done;
        }

        if (created.StatusCode == 409 || job.Text("transfer_status") != AwaitingMedia)
        {
            // Another payload holds the key (and has not applied this content), or the job is failed/inconsistent.
            return PythonEraOutcome.Refused(created.StatusCode == 409 ? created.Reason() : $"transfer is {job.Text("transfer_status")}: {job.Text("status_detail")}");
        }

        var uploaded = await UploadAsync(item, transfer, cancellationToken);
        if (uploaded.StatusCode is 200 or 201 && AppliedOutcome(item, uploaded) is { } applied)
        {
            progress?.Report(item.SizeBytes);
            return applied;
        }

        return uploaded.StatusCode is 200 or 201
            ? PythonEraOutcome.Refused($"the hub answered the media without applying it: {uploaded.Text("transfer_status")}")
            : Classify(uploaded);
    }

    private async Task<PythonEraHubResponse> UploadAsync(OutboxItem item, PythonEraTransfer transfer, CancellationToken cancellationToken)
    {
        if (settings.PayloadSchemaVersion == PythonEraHubSettings.PlaintextVersion)
        {
            var name = item.OriginalFilename is { Length: > 0 } original ? Path.GetFileName(original) : Path.GetFileName(item.StoredPath);
            return await client.UploadPlaintextAsync(transfer.TransferKey, item.StoredPath, name, item.ContentType, cancellationToken);
        }

        var staged = await envelopes.StageAsync(item, transfer.Identity, cancellationToken)
            ?? throw new InvalidOperationException("payload schema 3.0 without a recipient key");
        return await client.UploadEnvelopeAsync(transfer.TransferKey, staged.CiphertextPath, staged.MetadataJson, cancellationToken);
    }

    /// <summary>Delivered when the job is applied for exactly this content; null otherwise.</summary>
    private static PythonEraOutcome? AppliedOutcome(OutboxItem item, PythonEraHubResponse job)
    {
        if (job.Text("transfer_status") != Applied)
        {
            return null;
        }

        return string.Equals(job.Text("processed_media_hash"), item.Sha256, StringComparison.Ordinal) && job.Text("upload_job_id") is { } uploadJob
            ? PythonEraOutcome.Applied(uploadJob)
            : PythonEraOutcome.Refused("the hub's applied transfer names other content than this file");
    }

    /// <summary>
    /// 4xx answers no retry changes are refusals, except 408/429 and the 409 of an upload already in progress;
    /// 5xx (and a proxy's 502/503/504) are retried.
    /// </summary>
    private static PythonEraOutcome Classify(PythonEraHubResponse response) =>
        response.StatusCode is >= 500 or 408 or 429 || (response.StatusCode == 409 && response.Text("detail") is { } detail && detail.Contains("in progress", StringComparison.Ordinal))
            ? PythonEraOutcome.RetryLater(response.Reason())
            : PythonEraOutcome.Refused(response.Reason());

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Outbox item {ItemId}: Python-era hub transfer answered {StatusCode}, status {TransferStatus}")]
    private static partial void LogCreated(ILogger logger, Guid itemId, int statusCode, string transferStatus);
}
