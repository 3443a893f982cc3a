using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

/// <summary>Which values get hashes and which count as verified.</summary>
public sealed class SensitiveRulesTests
{
    private const string Salt = "test-salt-1";
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly DateOnly Dob = new(1956, 3, 7);
    private static readonly DateOnly Exam = new(2024, 11, 2);

    [Fact]
    public void ForValues_AllFields_TheOriginalsHashes()
    {
        var (patient, examination) = SensitiveHashes.ForValues(new SensitiveValues("ocr", "Jürgen", "Müller", Dob, Exam, null, null, null), "center-a", Salt);

        Assert.Equal(SensitiveHashes.PatientHash("Jürgen", "Müller", Dob, "center-a", Salt), patient);
        Assert.Equal(SensitiveHashes.ExaminationHash("Jürgen", "Müller", Dob, "center-a", Exam, Salt), examination);
    }

    [Theory]
    [InlineData(null, "Müller", true)]
    [InlineData("Jürgen", null, true)]
    [InlineData("", "Müller", true)]
    [InlineData("Jürgen", "Müller", false)]
    public void ForValues_ANeededFieldMissing_NoHash(string? first, string? last, bool withDob)
    {
        var (patient, examination) = SensitiveHashes.ForValues(new SensitiveValues("ocr", first, last, withDob ? Dob : null, Exam, null, null, null), "center-a", Salt);

        Assert.Null(patient);
        Assert.Null(examination);
    }

    [Fact]
    public void ForValues_NoExaminationDate_PatientHashOnly()
    {
        var (patient, examination) = SensitiveHashes.ForValues(new SensitiveValues("report", "Jürgen", "Müller", Dob, null, null, null, null), "center-a", Salt);

        Assert.NotNull(patient);
        Assert.Null(examination);
    }

    [Fact]
    public void IsVerified_OcrEveryProfileFieldKept_True_OneDropped_False()
    {
        var kept = new FieldQuality(0.95, 1, 4, 4, 4, true, null);
        var dropped = new FieldQuality(0, 0, 0, 0, 4, false, FieldDropReasons.NotRead);
        var values = new SensitiveValues("ocr", "Jürgen", "Müller", Dob, Exam, null, null, null);

        Assert.True(SensitiveVerification.IsVerified(values with { FieldQuality = Quality(kept, kept) }, Today));
        Assert.False(SensitiveVerification.IsVerified(values with { FieldQuality = Quality(kept, dropped) }, Today));
        Assert.False(SensitiveVerification.IsVerified(values, Today));
    }

    [Theory]
    [InlineData("Käthe", "Schäfer", true, true)]
    [InlineData(null, "Schäfer", true, false)]
    [InlineData("Käthe", "Schäfer", false, false)]
    [InlineData("K4the", "Schäfer", true, false)]
    public void IsVerified_Report_NamesAndBirthDateNeeded(string? first, string? last, bool withDob, bool expected) =>
        Assert.Equal(expected, SensitiveVerification.IsVerified(new SensitiveValues("report", first, last, withDob ? Dob : null, null, null, null, null), Today));

    [Fact]
    public void IsVerified_Sidecar_True() =>
        Assert.True(SensitiveVerification.IsVerified(new SensitiveValues("sidecar", null, null, null, null, null, null, null), Today));

    [Fact]
    public void FieldQualityJson_RoundTrip_NumbersAndNamesOnly()
    {
        var quality = Quality(new FieldQuality(0.95, 1, 4, 4, 4, true, null), new FieldQuality(0.2, 0.833, 20, 21, 24, false, FieldDropReasons.Confidence));

        var json = FieldQualityJson.Serialize(quality);

        Assert.Equal(
            """{"patient_last_name":{"confidence":0.95,"agreement":1,"votes":4,"reads":4,"frames":4,"kept":true},"patient_first_name":{"confidence":0.2,"agreement":0.833,"votes":20,"reads":21,"frames":24,"kept":false,"dropped":"confidence"}}""",
            json);
        Assert.Equal<IReadOnlyDictionary<string, FieldQuality>>(quality, FieldQualityJson.Parse(json)!);
        Assert.Null(FieldQualityJson.Serialize(null));
    }

    private static Dictionary<string, FieldQuality> Quality(FieldQuality last, FieldQuality first) =>
        new(StringComparer.Ordinal) { ["patient_last_name"] = last, ["patient_first_name"] = first };
}
