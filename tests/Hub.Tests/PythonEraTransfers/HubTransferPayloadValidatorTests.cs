using System.Text.Json;
using System.Text.Json.Nodes;
using LxAnnotate.Hub.PythonEraTransfers;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

public sealed class HubTransferPayloadValidatorTests
{
    private const string Hub = "hub-a";

    private static readonly string ResourceHash = new('a', 64);

    private static readonly string ProcessedHash = new('b', 64);

    [Fact]
    public void Validate_ValidVideoPayload_PayloadWithDefaultsAndCanonicalForm()
    {
        var (payload, errors) = Validate(VideoPayload());

        Assert.Equal(0, errors.Count);
        Assert.NotNull(payload);
        Assert.Equal($"node-a__video__{ResourceHash}__processed_v1", payload.TransferKey);
        Assert.Equal(Hub, payload.TargetNodeKey);
        Assert.Equal(ProcessedHash, payload.ProcessedMediaHash);
        Assert.Equal("3.0", payload.PayloadSchemaVersion);
        Assert.Null(payload.ProcessingPolicy);
        Assert.Null(payload.ProcessingSnapshot);
        Assert.Equal($"{{\"video_file\":{{\"processed_video_hash\":\"{ProcessedHash}\",\"video_hash\":\"{ResourceHash}\"}},\"video_state\":{{\"anonymized\":true}}}}", payload.ResourceRows);
        Assert.Equal(
            "{\"cleanup_policy\":null,\"payload_schema_version\":\"3.0\",\"processing_intent\":null,\"processing_policy\":null,"
            + "\"processing_snapshot\":null,\"provenance\":null,"
            + $"\"resource_hash\":\"{ResourceHash}\",\"resource_kind\":\"video\",\"resource_rows\":{payload.ResourceRows},"
            + "\"source_center_key\":\"center-a\",\"source_node_key\":\"node-a\",\"target_node_key\":\"hub-a\","
            + $"\"transfer_key\":\"node-a__video__{ResourceHash}__processed_v1\",\"transfer_mode\":\"metadata_and_processed_media\"}}",
            payload.Canonical);
    }

    [Fact]
    public void Validate_TargetGivenAsTheHub_SameCanonicalAsTheDefault()
    {
        var explicitTarget = VideoPayload();
        explicitTarget["target_node_key"] = Hub;
        explicitTarget["processing_snapshot"] = new JsonObject { ["b"] = 1, ["a"] = "x" };

        var (payload, _) = Validate(explicitTarget);
        var defaulted = VideoPayload();
        defaulted["processing_snapshot"] = new JsonObject { ["a"] = "x", ["b"] = 1 };

        Assert.NotNull(payload);
        Assert.Equal(Validate(defaulted).Payload!.Canonical, payload.Canonical);
        Assert.Equal("{\"a\":\"x\",\"b\":1}", payload.ProcessingSnapshot);
    }

    [Fact]
    public void Validate_ValidReportPayload_ProcessedHashFromTheRawPdfState()
    {
        var (payload, errors) = Validate(ReportPayload());

        Assert.Equal(0, errors.Count);
        Assert.Equal(ProcessedHash, payload!.ProcessedMediaHash);
        Assert.Equal("report", payload.ResourceKind);
    }

    [Fact]
    public void Validate_NotAnObject_InvalidPayload()
    {
        var (payload, errors) = Validate(new JsonArray());

        Assert.Null(payload);
        var body = errors.ToJson();
        Assert.Equal("invalid_payload", errors.FirstCode);
        Assert.Equal("The request body must be a JSON object.", body["non_field_errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Validate_EmptyObject_EveryRequiredFieldMissingInOrder()
    {
        var (payload, errors) = Validate(new JsonObject());

        Assert.Null(payload);
        var body = errors.ToJson();
        Assert.Equal(
            "{\"transfer_key\":[\"This field is required.\"],\"source_node_key\":[\"This field is required.\"],"
            + "\"source_center_key\":[\"This field is required.\"],\"resource_kind\":[\"This field is required.\"],"
            + "\"resource_hash\":[\"This field is required.\"],\"transfer_mode\":[\"This field is required.\"],"
            + "\"payload_schema_version\":[\"This field is required.\"],\"resource_rows\":[\"This field is required.\"],"
            + "\"detail\":\"The transfer payload is invalid.\",\"rejection_code\":\"missing_field\",\"rejection_phase\":\"create_validation\","
            + "\"error_fields\":[\"transfer_key\",\"source_node_key\",\"source_center_key\",\"resource_kind\",\"resource_hash\",\"transfer_mode\",\"payload_schema_version\",\"resource_rows\"]}",
            body.ToJsonString());
    }

    [Theory]
    [InlineData("target_node_key", "\"other-hub\"", "target_node_mismatch", "This hub is 'hub-a'.")]
    [InlineData("resource_kind", "\"image\"", "invalid_resource_kind", "Must be 'video' or 'report'.")]
    [InlineData("transfer_mode", "\"raw_media\"", "transfer_mode_not_supported", "Only 'metadata_and_processed_media' is accepted; raw media modes are not.")]
    [InlineData("payload_schema_version", "\"1.0\"", "unsupported_payload_schema_version", "Must be '2.0' or '3.0'.")]
    [InlineData("transfer_key", "\"node-a__video__x__processed_v1\"", "transfer_key_mismatch", "Must equal '{source_node_key}__{resource_kind}__{resource_hash}__processed_v1'.")]
    [InlineData("source_node_key", "\"Not A Key\"", "invalid_field", "Not a valid node key.")]
    [InlineData("resource_hash", "\"ABC\"", "invalid_field", "Must be 64 lower-case hexadecimal characters.")]
    [InlineData("source_center_key", "42", "invalid_field", "This field must be a non-empty string.")]
    [InlineData("source_center_key", "\"\"", "invalid_field", "This field must be a non-empty string.")]
    [InlineData("source_center_key", "\"a\\u0001b\"", "invalid_field", "This field must be at most 64 printable characters.")]
    [InlineData("payload_schema_version", "\"3.000000000\"", "invalid_field", "This field must be at most 8 printable characters.")]
    [InlineData("resource_rows", "[]", "invalid_field", "This field must be a JSON object.")]
    [InlineData("provenance", "\"text\"", "invalid_field", "This field must be a JSON object.")]
    public void Validate_FieldBreaksARule_FirstErrorNamesTheFieldAndCode(string field, string json, string code, string message)
    {
        var body = VideoPayload();
        body[field] = JsonNode.Parse(json);

        var (payload, errors) = Validate(body);

        Assert.Null(payload);
        Assert.Equal(code, errors.FirstCode);
        var refusal = errors.ToJson();
        Assert.Equal(message, refusal[field]![0]!.GetValue<string>());
        Assert.Equal(field, refusal["error_fields"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("video", "{\"video_state\":{\"anonymized\":true}}", "missing_resource_row", "video_file is required for resource_kind 'video'.")]
    [InlineData("video", "{\"video_file\":{\"video_hash\":\"HASH\",\"processed_video_hash\":\"PROCESSED\"},\"video_state\":{\"anonymized\":true}}", "resource_hash_mismatch", "video_file.video_hash must equal resource_hash.")]
    [InlineData("video", "{\"video_file\":{\"video_hash\":\"RESOURCE\"},\"video_state\":{\"anonymized\":true}}", "processed_hash_missing", "video_file.processed_video_hash must be the 64-hex SHA-256 of the processed media.")]
    [InlineData("video", "{\"video_file\":{\"video_hash\":\"RESOURCE\",\"processed_video_hash\":\"PROCESSED\"},\"video_state\":{\"anonymized\":false}}", "anonymization_not_validated", "video_state.anonymized must be true: only validated anonymized media is transferred.")]
    [InlineData("video", "{\"video_file\":{\"video_hash\":\"RESOURCE\",\"processed_video_hash\":\"PROCESSED\"},\"video_state\":{\"anonymized\":true},\"sensitive_meta\":[]}", "sensitive_meta_not_allowed", "sensitive_meta must be an object with patient_hash and examination_hash only.")]
    [InlineData("video", "{\"video_file\":{\"video_hash\":\"RESOURCE\",\"processed_video_hash\":\"PROCESSED\"},\"video_state\":{\"anonymized\":true},\"sensitive_meta\":{\"patient_name\":\"x\"}}", "sensitive_meta_not_allowed", "sensitive_meta may hold only patient_hash and examination_hash.")]
    [InlineData("video", "{\"video_file\":{\"video_hash\":\"RESOURCE\",\"processed_video_hash\":\"PROCESSED\"},\"video_state\":{\"anonymized\":true},\"sensitive_meta\":{\"patient_hash\":\"x\"}}", "sensitive_meta_not_allowed", "sensitive_meta.patient_hash must be 64 lower-case hexadecimal characters.")]
    [InlineData("report", "{\"raw_pdf_file\":{\"pdf_hash\":\"RESOURCE\",\"text\":\"Patient\"},\"raw_pdf_state\":{\"anonymized\":true,\"processed_file_sha256\":\"PROCESSED\"}}", "raw_pdf_text_forbidden", "raw_pdf_file.text must not be sent.")]
    [InlineData("report", "{\"raw_pdf_file\":{\"pdf_hash\":\"RESOURCE\"},\"raw_pdf_state\":{\"anonymized\":true,\"processed_file_sha256\":\"bad\"}}", "processed_hash_missing", "raw_pdf_state.processed_file_sha256 must be the 64-hex SHA-256 of the processed media.")]
    public void Validate_ResourceRowsBreakARule_RefusedUnderResourceRows(string kind, string rows, string code, string message)
    {
        var body = kind == "video" ? VideoPayload() : ReportPayload();
        body["resource_rows"] = JsonNode.Parse(rows.Replace("RESOURCE", ResourceHash, StringComparison.Ordinal).Replace("PROCESSED", ProcessedHash, StringComparison.Ordinal));

        var (payload, errors) = Validate(body);

        Assert.Null(payload);
        Assert.Equal(code, errors.FirstCode);
        Assert.Equal(message, errors.ToJson()["resource_rows"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Validate_SeveralRowProblems_AllCollectedUnderResourceRows()
    {
        var body = VideoPayload();
        body["resource_rows"] = JsonNode.Parse("{\"video_file\":{\"video_hash\":\"other\"},\"video_state\":{}}");

        var (_, errors) = Validate(body);

        var messages = errors.ToJson()["resource_rows"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
        Assert.Equal(3, messages.Length);
        Assert.Equal("resource_hash_mismatch", errors.FirstCode);
    }

    [Fact]
    public void Validate_HashedSensitiveMeta_Accepted()
    {
        var body = VideoPayload();
        body["resource_rows"]!["sensitive_meta"] = new JsonObject { ["patient_hash"] = ResourceHash, ["examination_hash"] = ProcessedHash };

        var (payload, errors) = Validate(body);

        Assert.Equal(0, errors.Count);
        Assert.NotNull(payload);
    }

    private static (HubTransferPayload? Payload, HubTransferValidationErrors Errors) Validate(JsonNode body)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        return HubTransferPayloadValidator.Validate(document.RootElement.Clone(), Hub);
    }

    private static JsonObject VideoPayload() => new()
    {
        ["transfer_key"] = $"node-a__video__{ResourceHash}__processed_v1",
        ["source_node_key"] = "node-a",
        ["source_center_key"] = "center-a",
        ["resource_kind"] = "video",
        ["resource_hash"] = ResourceHash,
        ["transfer_mode"] = "metadata_and_processed_media",
        ["payload_schema_version"] = "3.0",
        ["resource_rows"] = new JsonObject
        {
            ["video_file"] = new JsonObject { ["video_hash"] = ResourceHash, ["processed_video_hash"] = ProcessedHash },
            ["video_state"] = new JsonObject { ["anonymized"] = true },
        },
    };

    private static JsonObject ReportPayload() => new()
    {
        ["transfer_key"] = $"node-a__report__{ResourceHash}__processed_v1",
        ["source_node_key"] = "node-a",
        ["source_center_key"] = "center-a",
        ["resource_kind"] = "report",
        ["resource_hash"] = ResourceHash,
        ["transfer_mode"] = "metadata_and_processed_media",
        ["payload_schema_version"] = "2.0",
        ["resource_rows"] = new JsonObject
        {
            ["raw_pdf_file"] = new JsonObject { ["pdf_hash"] = ResourceHash },
            ["raw_pdf_state"] = new JsonObject { ["anonymized"] = true, ["processed_file_sha256"] = ProcessedHash },
        },
    };
}
