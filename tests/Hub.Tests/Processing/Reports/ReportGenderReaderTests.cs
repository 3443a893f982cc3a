using LxAnnotate.Hub.Processing.Gender;
using LxAnnotate.Hub.Processing.Reports;

namespace LxAnnotate.Hub.Tests.Processing.Reports;

public sealed class ReportGenderReaderTests
{
    private const string Hash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    public static TheoryData<string, string?> PatientTexts => new()
    {
        // Salutation on the patient line, in the text, or with a title between.
        { "Patient: Frau Schäfer, Käthe geb. 03.09.1952", "female" },
        { "Patient: Herr Strauß, Jörg-Peter geb. 17.06.1949", "male" },
        { "Patient: Strauss, Kim\nHerrn Strauss wurde erklärt", "male" },
        { "Patient: Roth, Kim\nFrau Dr. Roth kam zur Kontrolle", "female" },
        // An explicit field wins over the first name.
        { "Patient: Müller, Jürgen Geschlecht: w", "female" },
        { "Patient: Müller, Käthe\nGeschlecht: männlich", "male" },
        { "Patient: Müller, Käthe Geschlecht: d", "unknown" },
        { "Patient: Müller, Kim, weiblich, geb. 1.2.1960", "female" },
        // The female form of "Patient".
        { "Patientin: Weiss, Kim", "female" },
        // First name only: the original's first-name data.
        { "Patient: Schäfer, Käthe geb. 03.09.1952", "female" },
        { "Pat.: STRAUSS, JÖRG-PETER", "male" },
        { "Patient: Müller, Kim", "unknown" },
        { "Patient: Qwyx, Zrrbt", "unknown" },
        // Salutations that disagree tell nothing: the first name decides.
        { "Patient: Lang, Jürgen\nFrau Lang und Herr Lang", "male" },
        // A salutation before another person's name says nothing about the patient.
        { "Patient: Lang, Kim\nHerr Dr. Weber", "unknown" },
        { "Befund ohne Patientenzeile", null },
    };

    [Theory]
    [MemberData(nameof(PatientTexts))]
    public void Read_Patient_MostExplicitFirst(string text, string? expected)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        Assert.Equal(expected, ReportGenderReader.Read(text, metadata).Patient);
    }

    [Theory]
    [InlineData("Unters.: Dr. med. Schmidt, Anna", "female")]
    [InlineData("Unters.: Frau Dr. Schmidt, Kim", "female")]
    [InlineData("Unters.: Prof. Dr. Karl Weber", "male")]
    public void Read_Examiner_SalutationOrFirstName(string text, string expected)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        Assert.Equal(expected, ReportGenderReader.Read(text, metadata).Examiner);
    }

    [Theory]
    [InlineData("Patient: Herr Strauß, Jörg-Peter geb. 17.06.1949", "Jörg-Peter", "Strauß")]
    [InlineData("Patient: Frau Käthe Schäfer", "Käthe", "Schäfer")]
    [InlineData("Pat.: HERRN MÜLLER, JÜRGEN", "JÜRGEN", "MÜLLER")]
    [InlineData("Patient: Müller, Jürgen, männlich, geb. 1.2.1960", "Jürgen", "Müller")]
    [InlineData("Patient: Müller, Jürgen Geschlecht: m", "Jürgen", "Müller")]
    public void Parse_SalutationOnThePatientLine_IsNotPartOfTheName(string text, string first, string last)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        Assert.Equal((first, last), (metadata.PatientFirstName, metadata.PatientLastName));
    }

    [Fact]
    public void Parse_SalutationOnTheExaminerLine_IsNotPartOfTheName()
    {
        var metadata = ReportMetadataParser.Parse("Unters.: Frau Dr. med. Schmidt, Anna", 2026);

        Assert.Equal(("Anna", "Schmidt"), (metadata.ExaminerFirstName, metadata.ExaminerLastName));
    }

    [Theory]
    [InlineData("Patient: Frau Schäfer, Käthe\nFrau Schäfer wurde informiert.", "Frau", "female")]
    [InlineData("Patient: Herr Strauß, Jörg-Peter\nHerr Strauß wurde informiert.", "Herr", "male")]
    [InlineData("Patient: Schäfer, Käthe", null, "female")]
    [InlineData("Patient: Qwyx, Zrrbt", null, "unknown")]
    public void Anonymize_FirstName_PseudonymOfThePatientsGender_SalutationKept(string text, string? salutation, string gender)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        var result = ReportTextAnonymizer.Anonymize(text, metadata, Hash, 2026);

        var first = result.Split('\n')[0].Split(", ")[1];
        Assert.Contains(first, FirstNameGenders.PoolFor(gender));
        Assert.Equal(gender, FirstNameGenders.Guess(first));
        if (salutation is not null)
        {
            Assert.StartsWith("Patient: " + salutation + " ", result, StringComparison.Ordinal);
            Assert.Contains("\n" + salutation + " ", result, StringComparison.Ordinal);
        }
        Assert.Equal(result, ReportTextAnonymizer.Anonymize(text, metadata, Hash, 2026));
    }

    [Fact]
    public void Pseudonyms_FirstName_NeverARealNameOfTheReport()
    {
        var avoid = new HashSet<string>(FirstNameGenders.Female, StringComparer.OrdinalIgnoreCase);
        avoid.Remove(FirstNameGenders.Female[^1]);

        var pseudonym = new ReportPseudonyms(Hash).FirstName("Käthe", PatientGenders.Female, avoid);

        Assert.Equal(FirstNameGenders.Female[^1], pseudonym);
    }

    [Theory]
    [InlineData("KÄTHE", "female")]
    [InlineData("käthe", "female")]
    public void Pseudonyms_FirstName_KeepsLetterCase(string original, string gender)
    {
        var pseudonym = new ReportPseudonyms(Hash).FirstName(original, gender);

        Assert.Equal(original.All(char.IsUpper) ? pseudonym.ToUpperInvariant() : pseudonym.ToLowerInvariant(), pseudonym);
    }
}
