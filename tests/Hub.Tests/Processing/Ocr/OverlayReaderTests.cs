using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport.Media;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class OverlayReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static TheoryData<FakeOverlayPatient> Patients => new()
    {
        new FakeOverlayPatient("Jürgen", "Müller", new DateOnly(1961, 5, 12), new DateOnly(2024, 3, 21), new TimeOnly(14, 35), "CF-HQ190L", "2901234"),
        new FakeOverlayPatient("Björn", "Groß-Öztürk", new DateOnly(1948, 11, 3), new DateOnly(2023, 12, 1), new TimeOnly(8, 5), "GIF-H190", "7712055",
            DobFormat: "d.M.yy", ExamDateFormat: "yyyy-MM-dd"),
        new FakeOverlayPatient("Ännchen", "Weiß", new DateOnly(1975, 1, 30), new DateOnly(2025, 7, 9), new TimeOnly(23, 59), "PCF-H190DL", "3300918",
            LastCommaFirst: true),
    };

    [Theory]
    [MemberData(nameof(Patients))]
    public async Task ReadAsync_GeneratedOlympusOverlay_ReadsEveryField(FakeOverlayPatient patient)
    {
        using var temp = new TempDirectory();
        var video = temp.Combine("overlay.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(video, patient).WaitAsync(Timeout);
        var services = new ProcessingServices();

        var reading = await services.Reader.ReadAsync(video, OverlayLayouts.OlympusCv1500, OverlayReaderOptions.Default, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(patient.FirstName, reading.FirstName?.Value);
        Assert.Equal(patient.LastName, reading.LastName?.Value);
        Assert.Equal(patient.DateOfBirth, reading.DateOfBirth?.Value);
        Assert.Equal(patient.ExaminationDate, reading.ExaminationDate?.Value);
        Assert.Equal(patient.ExaminationTime, reading.ExaminationTime?.Value);
        Assert.Equal(patient.EndoscopeType, reading.EndoscopeType?.Value);
        Assert.Equal(patient.EndoscopeSerial, reading.EndoscopeSerial?.Value);
        Assert.True(reading.IsComplete);
        Assert.InRange(reading.FirstName!.Confidence, 0.5, 1.0);
    }
}
