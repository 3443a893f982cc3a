using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Tests.Domain;

public sealed class ProcessingProvenanceTests
{
    private static readonly ProcessingProvenance Sample = new()
    {
        Entrypoint = "api.upload",
        IngestMode = "api",
        SourceSystem = "endoscopy",
        ContentHash = new string('b', 64),
        SourceCenterKey = "center-a",
        StorageClass = "managed",
        StorageTier = "standard",
        RetentionPolicy = "clinical_default",
        DeclaredCenterKey = "center-a",
        ResolvedCenterKey = "center-a",
        HubMode = "central_hub",
        OriginalFilename = "video.mp4",
    };

    [Fact]
    public void ToJson_RoundTrip_KeepsEveryFieldAndUsesSnakeCase()
    {
        var json = Sample.ToJson();

        Assert.Contains("\"source_center_key\":\"center-a\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("watched_path", json, StringComparison.Ordinal);
        Assert.Equal(Sample, ProcessingProvenance.FromJson(json));
    }

    [Fact]
    public void FromJson_UnknownKey_IsRejected()
    {
        var json = Sample.ToJson().Replace("}", ",\"patient_name\":\"x\"}", StringComparison.Ordinal);

        var ex = Assert.Throws<ProvenanceSchemaException>(() => ProcessingProvenance.FromJson(json));
        Assert.Contains("patient_name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_MissingRequiredField_IsRejected()
    {
        Assert.Throws<ProvenanceSchemaException>(() => ProcessingProvenance.FromJson("{\"entrypoint\":\"x\"}"));
    }

    [Fact]
    public void ValidateHints_UnknownKey_NamesIt()
    {
        var hints = new Dictionary<string, string> { ["watched_path"] = "/x", ["resolved_center_key"] = "other" };

        var ex = Assert.Throws<ProvenanceSchemaException>(() => ProcessingProvenance.ValidateHints(hints));
        Assert.Contains("resolved_center_key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateHints_KnownKeys_Pass()
    {
        ProcessingProvenance.ValidateHints(ProcessingProvenance.HintKeys.ToDictionary(k => k, k => k switch
        {
            "sidecar.examination_date" => "2024-05-17",
            "sidecar.examination_time" => "09:30:00",
            "sidecar.file_sha256" => new string('a', 64),
            _ => "v",
        }));
    }

    [Fact]
    public void ToJson_WithSidecar_RoundTripsAsNestedObject()
    {
        var withSidecar = Sample with { Sidecar = new SidecarProvenance { ExternalId = "1001", Casenumber = "2001", ExaminationDate = "2024-05-17" } };

        var json = withSidecar.ToJson();

        Assert.Contains("\"sidecar\":{\"external_id\":\"1001\",\"casenumber\":\"2001\",\"examination_date\":\"2024-05-17\"}", json, StringComparison.Ordinal);
        Assert.Equal(withSidecar.Sidecar, ProcessingProvenance.FromJson(json).Sidecar);
    }

    [Fact]
    public void FromJson_UnknownKeyInsideSidecar_IsRejected()
    {
        var json = Sample.ToJson().Replace("}", ",\"sidecar\":{\"patient_first_name\":\"x\"}}", StringComparison.Ordinal);

        var ex = Assert.Throws<ProvenanceSchemaException>(() => ProcessingProvenance.FromJson(json));
        Assert.Contains("patient_first_name", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sidecar.examination_date", "2024-13-01")]
    [InlineData("sidecar.examination_time", "25:00:00")]
    [InlineData("sidecar.file_sha256", "ABC")]
    [InlineData("sidecar.external_id", "a\nb")]
    public void ValidateHints_MalformedSidecarValue_NamesKeyNotValue(string key, string value)
    {
        var ex = Assert.Throws<ProvenanceSchemaException>(() => ProcessingProvenance.ValidateHints(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHints_NoSidecarHint_IsNull()
    {
        Assert.Null(SidecarProvenance.FromHints(new Dictionary<string, string> { ["watched_path"] = "/x" }));
    }
}
