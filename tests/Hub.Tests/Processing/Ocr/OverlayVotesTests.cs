using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

/// <summary>The rules that decide which overlay fields are kept, on OCR lines as Tesseract returns them.</summary>
public sealed class OverlayVotesTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Fact]
    public void ToReading_RealOverlayOnEveryFrame_EveryFieldKeptWithQuality()
    {
        var votes = Votes(Frame("Müller", "Jürgen", "12.05.1961", "21.03.2024", "14:35", "CF-HQ190L", "2901234", 95), 4);

        var reading = votes.ToReading(OverlayLayouts.OlympusCv1500, stoppedEarly: true);

        Assert.Equal(("Jürgen", "Müller"), (reading.FirstName?.Value, reading.LastName?.Value));
        Assert.Equal((new DateOnly(1961, 5, 12), new DateOnly(2024, 3, 21)), (reading.DateOfBirth?.Value, reading.ExaminationDate?.Value));
        Assert.Equal((new TimeOnly(14, 35), "CF-HQ190L", "2901234"), (reading.ExaminationTime?.Value, reading.EndoscopeType?.Value, reading.EndoscopeSerial?.Value));
        Assert.Equal(7, reading.Quality!.Count);
        Assert.All(reading.Quality.Values, q => Assert.Equal((true, null, 0.95, 1.0, 4, 4), (q.Kept, q.Dropped, q.Confidence, q.Agreement, q.Votes, q.Frames)));
        Assert.True(votes.HasAgreement(OverlayLayouts.OlympusCv1500, 3));
    }

    [Theory]
    [InlineData("Groß-Öztürk", "Björn")]
    [InlineData("Weiß", "Ännchen")]
    [InlineData("Straßburger", "Hans-Jörg")]
    [InlineData("O'Brien", "Käthe")]
    public void ToReading_NamesWithUmlautsSharpSHyphen_Kept(string last, string first)
    {
        var reading = Votes(Frame(last, first, "03.11.1948", "01.12.2023", "08:05", "GIF-H190", "7712055", 90), 6).ToReading(OverlayLayouts.OlympusCv1500, false);

        Assert.Equal((first, last), (reading.FirstName?.Value, reading.LastName?.Value));
    }

    [Fact]
    public void ToReading_TestsrcNoise_NothingKept()
    {
        // What Tesseract made of a testsrc2 clip without an overlay (issue #21): stable but unsure "Po", lower-case "po",
        // "Rn BE" and "Bu" as the endoscope.
        var votes = Votes(Frame("Po", "po", "", "", "", "Rn BE", "Bu", 20), 24);

        var reading = votes.ToReading(OverlayLayouts.OlympusCv1500, false);

        Assert.Null(reading.FirstName);
        Assert.Null(reading.LastName);
        Assert.Null(reading.EndoscopeType);
        Assert.Null(reading.EndoscopeSerial);
        Assert.Null(reading.DateOfBirth);
        Assert.Equal(FieldDropReasons.Confidence, reading.Quality![OverlayField.PatientLastName].Dropped);
        Assert.Equal(FieldDropReasons.Implausible, reading.Quality[OverlayField.PatientFirstName].Dropped);
        Assert.Equal(FieldDropReasons.Implausible, reading.Quality[OverlayField.EndoscopeType].Dropped);
        Assert.Equal(FieldDropReasons.Implausible, reading.Quality[OverlayField.EndoscopeSn].Dropped);
        Assert.Equal(FieldDropReasons.NotRead, reading.Quality[OverlayField.PatientDob].Dropped);
        Assert.All(reading.Quality.Values, q => Assert.False(q.Kept));
        Assert.False(votes.HasAgreement(OverlayLayouts.OlympusCv1500, 3));
    }

    [Fact]
    public void ToReading_ConfidentButFlickering_DroppedForAgreement()
    {
        var votes = new OverlayVotes(Today, OverlayReaderOptions.Default);
        string[] names = ["Lorem", "Ipsum", "Dolor", "Sitam", "Amet"];
        for (var i = 0; i < 10; i++)
        {
            votes.AddFrame(Frame(names[i % names.Length], "Anna", "12.05.1961", "21.03.2024", "14:35", "CF-HQ190L", "2901234", 92));
        }

        var reading = votes.ToReading(OverlayLayouts.OlympusCv1500, false);

        Assert.Null(reading.LastName);
        var quality = reading.Quality![OverlayField.PatientLastName];
        Assert.Equal((FieldDropReasons.Agreement, 0.2, 2, 10), (quality.Dropped, quality.Agreement, quality.Votes, quality.Reads));
        Assert.Equal("Anna", reading.FirstName?.Value);
    }

    [Fact]
    public void ToReading_NameWithDigits_Rejected()
    {
        var reading = Votes(Frame("Mü11er", "J0rgen", "12.05.1961", "21.03.2024", "14:35", "CF-HQ190L", "2901234", 95), 4)
            .ToReading(OverlayLayouts.OlympusCv1500, false);

        Assert.Null(reading.LastName);
        Assert.Null(reading.FirstName);
        Assert.Equal(FieldDropReasons.Implausible, reading.Quality![OverlayField.PatientLastName].Dropped);
    }

    [Theory]
    [InlineData("12.05.1861", "21.03.2024")]
    [InlineData("12.05.2031", "")]
    [InlineData("31.02.1961", "21.03.2024")]
    public void ToReading_BadBirthDate_Rejected(string dob, string exam)
    {
        var reading = Votes(Frame("Müller", "Jürgen", dob, exam, "14:35", "CF-HQ190L", "2901234", 95), 4).ToReading(OverlayLayouts.OlympusCv1500, false);

        Assert.Null(reading.DateOfBirth);
        Assert.False(reading.Quality![OverlayField.PatientDob].Kept);
        Assert.Equal("Müller", reading.LastName?.Value);
    }

    [Fact]
    public void ToReading_UnsureOverlay_KeptOnlyAboveTheOptionsThresholds()
    {
        var strict = new OverlayVotes(Today, OverlayReaderOptions.Default with { MinConfidence = 80 });
        var lenient = new OverlayVotes(Today, OverlayReaderOptions.Default with { MinConfidence = 50 });
        var frame = Frame("Müller", "Jürgen", "12.05.1961", "21.03.2024", "14:35", "CF-HQ190L", "2901234", 70);
        for (var i = 0; i < 4; i++)
        {
            strict.AddFrame(frame);
            lenient.AddFrame(frame);
        }

        Assert.Null(strict.ToReading(OverlayLayouts.OlympusCv1500, false).LastName);
        Assert.Equal("Müller", lenient.ToReading(OverlayLayouts.OlympusCv1500, false).LastName?.Value);
    }

    private static OverlayVotes Votes(IReadOnlyDictionary<OverlayField, OcrLine> frame, int frames)
    {
        var votes = new OverlayVotes(Today, OverlayReaderOptions.Default);
        for (var i = 0; i < frames; i++)
        {
            votes.AddFrame(frame);
        }
        return votes;
    }

    private static Dictionary<OverlayField, OcrLine> Frame(string last, string first, string dob, string exam, string time, string type, string serial, double confidence)
    {
        var lines = new Dictionary<OverlayField, OcrLine>
        {
            [OverlayField.PatientLastName] = new(last, confidence),
            [OverlayField.PatientFirstName] = new(first, confidence),
            [OverlayField.PatientDob] = new(dob, confidence),
            [OverlayField.ExaminationDate] = new(exam, confidence),
            [OverlayField.ExaminationTime] = new(time, confidence),
            [OverlayField.EndoscopeType] = new(type, confidence),
            [OverlayField.EndoscopeSn] = new(serial, confidence),
        };
        foreach (var empty in lines.Where(l => l.Value.Text.Length == 0).Select(l => l.Key).ToList())
        {
            lines.Remove(empty);
        }
        return lines;
    }
}
