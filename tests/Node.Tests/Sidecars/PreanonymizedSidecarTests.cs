using System.Text;
using LxAnnotate.Node.Sidecars;

namespace LxAnnotate.Node.Tests.Sidecars;

public sealed class PreanonymizedSidecarTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static (PreanonymizedSidecar? Sidecar, string? Problem) Parse(string json)
    {
        var parsed = PreanonymizedSidecar.TryParse(Encoding.UTF8.GetBytes(json), out var sidecar, out var problem);
        Assert.Equal(parsed, sidecar is not null);
        Assert.Equal(parsed, problem is null);
        return (sidecar, problem);
    }

    [Fact]
    public void TryParse_EveryAllowedKey_Accepted()
    {
        var (sidecar, problem) = Parse($$"""
            {
              "schema_version": 1, "center_key": "center-1", "source_system": "Endo.Box_2", "document_type": "report",
              "file_sha256": "{{Sha.ToUpperInvariant()}}", "original_filename": "Befund Mustermann.pdf",
              "created_at": "2024-05-01T10:15:00+02:00", "language": "de", "anonymized": true
            }
            """);

        Assert.Null(problem);
        Assert.Equal(("center-1", "Endo.Box_2", Sha), (sidecar!.CenterKey, sidecar.SourceSystem, sidecar.FileSha256));
        Assert.Equal(new Dictionary<string, string> { ["sidecar.document_type"] = "report", ["sidecar.file_sha256"] = Sha }, sidecar.ProvenanceHints);
    }

    [Fact]
    public void TryParse_EmptyObject_AllDefaults()
    {
        var sidecar = Parse("{}").Sidecar!;
        Assert.Equal((null, null, null), (sidecar.CenterKey, sidecar.SourceSystem, sidecar.FileSha256));
        Assert.Empty(sidecar.ProvenanceHints);
    }

    [Fact]
    public void TryParse_NullValues_TreatedAsAbsent()
    {
        var sidecar = Parse("""{"center_key": null, "file_sha256": null}""").Sidecar!;
        Assert.Equal((null, null, null), (sidecar.CenterKey, sidecar.SourceSystem, sidecar.FileSha256));
        Assert.Empty(sidecar.ProvenanceHints);
    }

    [Fact]
    public void TryParse_SapAndPreanonymizedFields_AcceptedAndOnlyMetadataBecomesHints()
    {
        var (sidecar, problem) = Parse("""
            {
              "external_id": "1001", "external_id_origin": "sap_ish:center-1", "casenumber": "2001", "text": "Brief\nText",
              "anonymized_text": "Brief\nText", "patient_gender": "female", "source_system": "sap_ish", "source_document_type": "briefe",
              "original_document_id": "D1", "original_document_version": "2", "center_key": "center-1", "center_name": "Klinik",
              "examination_date": "2024-05-17", "examination_time": "09:30:00", "raw_columns": {"primary_row": {"row_number": 2}},
              "patient_first_name": "A", "patient_last_name": "B", "patient_dob": "1970-01-01", "patient_hash": "ph", "examination_hash": "eh",
              "file_path": "/x/y.txt", "endoscope_type": "GIF", "endoscope_sn": "123", "is_verified": true, "file_type": "text"
            }
            """);

        Assert.Null(problem);
        Assert.Equal("1001", sidecar!.ProvenanceHints["sidecar.external_id"]);
        Assert.Equal("2024-05-17", sidecar.ProvenanceHints["sidecar.examination_date"]);
        Assert.Equal("09:30:00", sidecar.ProvenanceHints["sidecar.examination_time"]);
        Assert.Equal("ph", sidecar.ProvenanceHints["sidecar.patient_hash"]);
        foreach (var key in new[] { "text", "anonymized_text", "patient_first_name", "patient_last_name", "patient_dob", "raw_columns", "file_path" })
        {
            Assert.False(sidecar.ProvenanceHints.ContainsKey("sidecar." + key), key);
        }
    }

    [Theory]
    [InlineData("""{"examination_date": "17.05.2024"}""", "examination_date must be a date YYYY-MM-DD")]
    [InlineData("""{"patient_dob": "1970-02-30"}""", "patient_dob must be a date YYYY-MM-DD")]
    [InlineData("""{"examination_time": "9:30"}""", "examination_time must be a time HH:MM:SS")]
    [InlineData("""{"raw_columns": "a=b"}""", "raw_columns must be a JSON object")]
    [InlineData("""{"is_verified": "yes"}""", "is_verified must be true or false")]
    [InlineData("""{"text": 5}""", "text must be a string")]
    [InlineData("{\"external_id\": \"a\\u0001b\"}", "external_id must be at most 256 printable characters")]
    [InlineData("""{"patient_name": "x"}""", "unknown key 'patient_name'")]
    public void TryParse_InvalidSapField_RefusedNamingTheKey(string json, string expected)
    {
        var (sidecar, problem) = Parse(json);

        Assert.Null(sidecar);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Utf8Bom_Accepted()
    {
        Assert.NotNull(Parse("\uFEFF{\"language\": \"de\"}").Sidecar);
    }

    [Theory]
    [InlineData("""{"patient": "x"}""", "unknown key 'patient'")]
    [InlineData("""{"Center_Key": "c"}""", "unknown key 'Center_Key'")]
    [InlineData("""{"language": "de", "language": "en"}""", "key 'language' appears twice")]
    [InlineData("""[1, 2]""", "sidecar is not a JSON object")]
    [InlineData("\"text\"", "sidecar is not a JSON object")]
    [InlineData("""{"center_key": """, "sidecar is not valid JSON")]
    [InlineData("", "sidecar is not valid JSON")]
    [InlineData("""{"schema_version": 2}""", "schema_version must be the number 1")]
    [InlineData("""{"schema_version": "1"}""", "schema_version must be the number 1")]
    [InlineData("""{"schema_version": 1.5}""", "schema_version must be the number 1")]
    [InlineData("""{"center_key": "Center"}""", "center_key is not a valid center key")]
    [InlineData("""{"center_key": "-c"}""", "center_key is not a valid center key")]
    [InlineData("""{"center_key": 7}""", "center_key must be a string")]
    [InlineData("""{"source_system": ".hidden"}""", "source_system must match")]
    [InlineData("""{"source_system": "a b"}""", "source_system must match")]
    [InlineData("""{"source_system": "abc\n"}""", "source_system must match")]
    [InlineData("""{"document_type": ["report"]}""", "document_type must be a string")]
    [InlineData("""{"file_sha256": "abc"}""", "file_sha256 must be 64 hexadecimal characters")]
    [InlineData("""{"original_filename": 12}""", "original_filename must be a string")]
    [InlineData("""{"created_at": "yesterday"}""", "created_at must be an ISO-8601")]
    [InlineData("""{"created_at": "2024-13-01"}""", "created_at must be an ISO-8601")]
    [InlineData("""{"created_at": 20240501}""", "created_at must be a string")]
    [InlineData("""{"language": "a-very-long-language-tag"}""", "language is longer than 16 characters")]
    [InlineData("""{"anonymized": "yes"}""", "anonymized must be true or false")]
    public void TryParse_Invalid_RefusedWithReason(string json, string expected)
    {
        var (sidecar, problem) = Parse(json);

        Assert.Null(sidecar);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-05-01")]
    [InlineData("2024-05-01T10:15:00Z")]
    [InlineData("2024-05-01T10:15:00.123456Z")]
    [InlineData("2024-05-01T10:15")]
    [InlineData("2024-05-01 10:15:00+0200")]
    public void TryParse_Iso8601CreatedAt_Accepted(string createdAt)
    {
        Assert.Null(Parse($$"""{"created_at": "{{createdAt}}"}""").Problem);
    }

    [Fact]
    public void TryParse_LongDocumentType_Refused()
    {
        Assert.Contains("longer than 64", Parse($$"""{"document_type": "{{new string('d', 65)}}"}""").Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WrongValueType_ReasonNeverEchoesTheValue()
    {
        var (_, problem) = Parse("""{"original_filename": {"name": "Erika Mustermann"}}""");

        Assert.DoesNotContain("Mustermann", problem, StringComparison.Ordinal);
    }
}
