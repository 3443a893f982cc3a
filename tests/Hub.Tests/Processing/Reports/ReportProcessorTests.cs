using LxAnnotate.Hub.Processing.Reports;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport.Media;
using LxAnnotate.TestSupport;
using UglyToad.PdfPig;

namespace LxAnnotate.Hub.Tests.Processing.Reports;

public sealed class ReportProcessorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ProcessAsync_TextPdf_ExtractsAnonymizesAndWritesImageOnlyPdf()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("report.pdf");
        var output = temp.Combine("anonymized.pdf");
        await File.WriteAllBytesAsync(input, ReportPdfFixture.CreateTextPdf(ReportPdfFixture.SampleLines));
        var services = new ProcessingServices();

        var report = await services.Reports.ProcessAsync(input, output, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(ReportTextSource.PdfText, report.Document.Source);
        Assert.Contains("Patient: Müller, Jürgen geb. 12.05.1961", report.Document.Text, StringComparison.Ordinal);
        Assert.Equal("Müller", report.Metadata.PatientLastName);
        Assert.Equal("Schmidt", report.Metadata.ExaminerLastName);
        Assert.Equal("40012345", report.Metadata.CaseNumber);
        Assert.DoesNotContain("Müller", report.AnonymizedText, StringComparison.Ordinal);
        Assert.DoesNotContain("12.05.1961", report.AnonymizedText, StringComparison.Ordinal);
        await AssertImageOnlyWithoutSecretsAsync(services, output, report);
    }

    [Fact]
    public async Task ProcessAsync_ScannedPdf_FallsBackToOcr()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("scan.pdf");
        var output = temp.Combine("anonymized.pdf");
        await File.WriteAllBytesAsync(input, await ReportPdfFixture.CreateScannedPdfAsync(ReportPdfFixture.SampleLines, temp.Path).WaitAsync(Timeout));
        var services = new ProcessingServices();

        var report = await services.Reports.ProcessAsync(input, output, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(ReportTextSource.Ocr, report.Document.Source);
        Assert.Equal("Müller", report.Metadata.PatientLastName);
        Assert.Equal("Jürgen", report.Metadata.PatientFirstName);
        Assert.Equal(new DateOnly(1961, 5, 12), report.Metadata.DateOfBirth);
        Assert.Equal(new DateOnly(2024, 3, 21), report.Metadata.ExaminationDate);
        Assert.Equal("40012345", report.Metadata.CaseNumber);
        Assert.DoesNotContain("Müller", report.AnonymizedText, StringComparison.Ordinal);
        await AssertImageOnlyWithoutSecretsAsync(services, output, report);
    }

    [Fact]
    public async Task ProcessAsync_NotAPdf_ThrowsReportUnreadable()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("broken.pdf");
        await File.WriteAllTextAsync(input, "%PDF-1.7\nthis is not a pdf body");
        var services = new ProcessingServices();

        await Assert.ThrowsAsync<ReportUnreadableException>(() =>
            services.Reports.ProcessAsync(input, temp.Combine("out.pdf"), null, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(File.Exists(temp.Combine("out.pdf")));
    }

    private static async Task AssertImageOnlyWithoutSecretsAsync(ProcessingServices services, string output, ProcessedReport report)
    {
        Assert.True(report.AnonymizedPdf.RedactedWords >= 8, $"only {report.AnonymizedPdf.RedactedWords} words redacted");
        using (var pdf = PdfDocument.Open(output))
        {
            Assert.Equal(1, pdf.NumberOfPages);
            Assert.All(pdf.GetPages(), page => Assert.Empty(page.GetWords()));
        }
        // What a reader of the anonymized PDF can still see: OCR of its pages.
        var seen = await services.ReportText.ExtractAsync(output, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ReportTextSource.Ocr, seen.Source);
        Assert.Contains("Befund", seen.Text, StringComparison.Ordinal);
        foreach (var secret in new[] { "Müller", "Jürgen", "Schmidt", "12.05.1961", "21.03.2024", "40012345" })
        {
            Assert.DoesNotContain(secret, seen.Text, StringComparison.Ordinal);
        }
    }
}
