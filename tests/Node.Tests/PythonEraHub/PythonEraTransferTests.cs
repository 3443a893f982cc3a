using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.PythonEraHub;

namespace LxAnnotate.Node.Tests.PythonEraHub;

public sealed class PythonEraTransferTests
{
    private static readonly PythonEraHubSettings Settings = new(true, "site-a", "secret", "hub", "center-a", "3.0");

    [Fact]
    public void For_Report_TheHubsFieldsWithTheFileHashEverywhere()
    {
        var item = Item("application/pdf");

        var transfer = PythonEraTransfer.For(item, "report", "center-a", Settings, new Dictionary<string, string>());

        var p = transfer.Payload;
        Assert.Equal($"site-a__report__{item.Sha256}__processed_v1", Text(p, "transfer_key"));
        Assert.Equal("metadata_and_processed_media", Text(p, "transfer_mode"));
        Assert.Equal("3.0", Text(p, "payload_schema_version"));
        Assert.Equal("hub", Text(p, "target_node_key"));
        Assert.Equal(("preserve_processing_state", "sender_requests_state_preservation", "retain_all"), (Text(p, "processing_policy"), Text(p, "processing_intent"), Text(p, "cleanup_policy")));
        Assert.True(p["resource_rows"]!["processing_history"]!["success"]!.GetValue<bool>());
        Assert.Equal(item.Sha256, Text(p, "resource_hash"));
        Assert.Equal(item.Sha256, p["resource_rows"]!["raw_pdf_file"]!["pdf_hash"]!.GetValue<string>());
        Assert.Equal(item.Sha256, p["resource_rows"]!["raw_pdf_state"]!["processed_file_sha256"]!.GetValue<string>());
        Assert.True(p["resource_rows"]!["raw_pdf_state"]!["anonymized"]!.GetValue<bool>());
        Assert.Null(p["resource_rows"]!["raw_pdf_file"]!["text"]);
        Assert.Null(p["resource_rows"]!["sensitive_meta"]);
        Assert.Equal(("processed", transfer.TransferKey), (transfer.Identity.MediaRole, transfer.Identity.TransferKey));
    }

    [Fact]
    public void For_Video_ProcessedHashInTheVideoFileRow()
    {
        var item = Item("video/mp4");

        var rows = PythonEraTransfer.For(item, "video", "center-a", Settings, new Dictionary<string, string>()).Payload["resource_rows"]!;

        Assert.Equal(item.Sha256, rows["video_file"]!["video_hash"]!.GetValue<string>());
        Assert.Equal(item.Sha256, rows["video_file"]!["processed_video_hash"]!.GetValue<string>());
        Assert.True(rows["video_state"]!["anonymized"]!.GetValue<bool>());
    }

    [Fact]
    public void For_SameContentAsAnotherItem_TheSamePayload()
    {
        var first = Item("application/pdf");
        var second = first with { Id = Guid.NewGuid(), StoredPath = "/elsewhere", OriginalFilename = "other.pdf" };

        var a = PythonEraTransfer.For(first, "report", "center-a", Settings, new Dictionary<string, string>());
        var b = PythonEraTransfer.For(second, "report", "center-a", Settings, new Dictionary<string, string>());

        Assert.Equal(a.Payload.ToJsonString(), b.Payload.ToJsonString());
    }

    [Fact]
    public void For_SidecarHashes_OnlyValidHashesReachSensitiveMeta()
    {
        var patient = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hints = new Dictionary<string, string>
        {
            ["sidecar.patient_hash"] = patient,
            ["sidecar.examination_hash"] = "NOT-A-HASH",
            ["sidecar.patient_last_name"] = "Muster",
        };

        var meta = PythonEraTransfer.For(Item("application/pdf"), "report", "center-a", Settings, hints).Payload["resource_rows"]!["sensitive_meta"]!.AsObject();

        Assert.Equal([("patient_hash", patient)], meta.Select(m => (m.Key, m.Value!.GetValue<string>())));
    }

    [Theory]
    [InlineData("video/mp4", "video")]
    [InlineData("application/pdf", "report")]
    [InlineData("text/plain", null)]
    public void ResourceKind_VideoAndReportOnly(string contentType, string? kind) => Assert.Equal(kind, PythonEraTransfer.ResourceKind(contentType));

    private static string Text(JsonObject payload, string name) => payload[name]!.GetValue<string>();

    private static OutboxItem Item(string contentType) => new()
    {
        Id = Guid.NewGuid(),
        State = OutboxState.Queued,
        StoredPath = "/outbox/x",
        SourcePath = "/import/x",
        ContentType = contentType,
        Entrypoint = "watcher.drop_folder",
        SourceSystem = "lxa-node",
        Sha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        SizeBytes = 10,
    };
}
