using System.Text.Json.Serialization;
using System.Text.Json;

namespace LxAnnotate.Hub.Domain;

/// <summary>
/// The regions of an endoscopy processor's screen layout, stored as one JSON object
/// (<c>endoscopy_processors.rois</c>) under the original field names.
/// </summary>
public sealed record ProcessorRois(
    ProcessorRoi EndoscopeImage,
    ProcessorRoi ExaminationDate,
    ProcessorRoi ExaminationTime,
    ProcessorRoi PatientFirstName,
    ProcessorRoi PatientLastName,
    ProcessorRoi PatientDob,
    ProcessorRoi EndoscopeType,
    ProcessorRoi EndoscopeSn)
{
    /// <summary>The field names, in the order of the record, as the original system names them.</summary>
    public static readonly IReadOnlyList<string> FieldNames =
    [
        "endoscope_image", "examination_date", "examination_time", "patient_first_name",
        "patient_last_name", "patient_dob", "endoscope_type", "endoscope_sn",
    ];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Every region by its field name.</summary>
    public IReadOnlyDictionary<string, ProcessorRoi> ByName() => new Dictionary<string, ProcessorRoi>(StringComparer.Ordinal)
    {
        ["endoscope_image"] = EndoscopeImage,
        ["examination_date"] = ExaminationDate,
        ["examination_time"] = ExaminationTime,
        ["patient_first_name"] = PatientFirstName,
        ["patient_last_name"] = PatientLastName,
        ["patient_dob"] = PatientDob,
        ["endoscope_type"] = EndoscopeType,
        ["endoscope_sn"] = EndoscopeSn,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ProcessorRois FromJson(string json) =>
        JsonSerializer.Deserialize<ProcessorRois>(json, JsonOptions) ?? throw new JsonException("rois is empty.");
}
