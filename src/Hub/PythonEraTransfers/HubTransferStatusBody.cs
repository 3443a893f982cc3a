using System.Globalization;
using System.Text.Json.Nodes;
using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>The one status body every hub transfer response carries (create, media, status).</summary>
internal static class HubTransferStatusBody
{
    public static JsonObject For(HubTransferJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JsonObject
        {
            ["id"] = job.Id.ToString(),
            ["transfer_key"] = job.TransferKey,
            ["source_node_key"] = job.SourceNodeKey,
            ["target_node_key"] = job.TargetNodeKey,
            ["source_center_key"] = job.SourceCenterKey,
            ["resource_kind"] = job.ResourceKind,
            ["resource_hash"] = job.ResourceHash,
            ["transfer_mode"] = job.TransferMode,
            ["processing_policy"] = job.ProcessingPolicy,
            ["processing_intent"] = job.ProcessingIntent,
            ["cleanup_policy"] = job.CleanupPolicy,
            ["payload_schema_version"] = job.PayloadSchemaVersion,
            ["processed_media_hash"] = job.ProcessedMediaHash,
            ["transfer_status"] = job.TransferStatus.ToWire(),
            ["processing_decision"] = job.ProcessingDecision,
            ["cleanup_status"] = job.CleanupStatus,
            ["status_detail"] = job.StatusDetail,
            ["case_resolution_status"] = job.CaseResolutionStatus,
            ["envelope_receipt"] = job.EnvelopeReceipt is null ? null : JsonNode.Parse(job.EnvelopeReceipt),
            ["upload_job_id"] = job.UploadJobId?.ToString(),
            ["created_at"] = Timestamp(job.CreatedAt),
            ["updated_at"] = Timestamp(job.UpdatedAt),
            ["applied_at"] = job.AppliedAt is { } applied ? Timestamp(applied) : null,
        };
    }

    /// <summary>The status body plus the refusal's <c>detail</c> and rejection fields.</summary>
    public static JsonObject WithRefusal(HubTransferJob? job, HubTransferRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var body = job is null ? [] : For(job);
        body["detail"] = refusal.Message;
        if (refusal.Code is not null)
        {
            body["rejection_code"] = refusal.Code;
            body["rejection_phase"] = refusal.Phase;
            body["error_fields"] = new JsonArray(refusal.Fields.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        }

        return body;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
