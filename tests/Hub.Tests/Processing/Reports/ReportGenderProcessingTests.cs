using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing;
using LxAnnotate.Hub.Processing.Gender;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using LxAnnotate.TestSupport.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Reports;

/// <summary>
/// A report PDF through the worker's real report stage: the patient's gender is stored with the SensitiveMeta and
/// the anonymized text gives the patient a first name of that gender beside an unchanged salutation.
/// </summary>
public sealed partial class ReportGenderProcessingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private static readonly string[] FemaleReport =
    [
        "Universitätsklinikum Musterstadt - Endoskopie",
        "Patient: Frau Schäfer, Käthe   geb. 03.09.1952   Fallnummer: 40077111",
        "Unters.: Dr. med. Krüger, Thomas   U-datum: 11.02.2025 09:15",
        "Befund: Gastroskopie, Schleimhaut unauffällig.",
        "Frau Schäfer wurde über den Befund informiert.",
    ];

    private static readonly string[] MaleReport =
    [
        "Universitätsklinikum Musterstadt - Endoskopie",
        "Patient: Herr Strauß, Jörg-Peter   geb. 17.06.1949   Fallnummer: 40077222",
        "Unters.: Dr. med. Krüger, Thomas   U-datum: 12.02.2025 10:40",
        "Befund: Koloskopie bis zum Zökum.",
        "Herr Strauß wurde über den Befund informiert.",
    ];

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task Worker_ReportAboutFrauKaetheSchaefer_StoresFemaleAndGivesAFemalePseudonym(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddMediaProcessing().AddSingleton<IReportProcessor, PdfReportProcessor>());

        var (meta, anonymized) = await ProcessAsync(harness, FemaleReport);

        Assert.Equal(PatientGenders.Female, meta.Gender);
        Assert.Equal(("Käthe", "Schäfer"), (meta.FirstName, meta.LastName));
        var patient = PatientLine().Match(anonymized);
        Assert.True(patient.Success, anonymized);
        Assert.Equal("Frau", patient.Groups["salutation"].Value);
        Assert.Contains(patient.Groups["first"].Value, FirstNameGenders.Female);
        Assert.Equal(PatientGenders.Female, FirstNameGenders.Guess(patient.Groups["first"].Value));
        Assert.Contains("Frau " + patient.Groups["last"].Value + " wurde", anonymized, StringComparison.Ordinal);
        foreach (var secret in new[] { "Käthe", "Schäfer", "Krüger", "Thomas", "03.09.1952", "40077111" })
        {
            Assert.DoesNotContain(secret, anonymized, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task Worker_ReportAboutHerrJoergPeterStrauss_StoresMaleAndKeepsTheSalutation(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddMediaProcessing().AddSingleton<IReportProcessor, PdfReportProcessor>());

        var (meta, anonymized) = await ProcessAsync(harness, MaleReport);

        Assert.Equal(PatientGenders.Male, meta.Gender);
        Assert.Equal(("Jörg-Peter", "Strauß"), (meta.FirstName, meta.LastName));
        var patient = PatientLine().Match(anonymized);
        Assert.True(patient.Success, anonymized);
        Assert.Equal("Herr", patient.Groups["salutation"].Value);
        Assert.Contains(patient.Groups["first"].Value, FirstNameGenders.Male);
        Assert.Contains("Herr " + patient.Groups["last"].Value + " wurde", anonymized, StringComparison.Ordinal);
        foreach (var secret in new[] { "Jörg", "Peter", "Strauß", "Strauss", "17.06.1949" })
        {
            Assert.DoesNotContain(secret, anonymized, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task Worker_ReportWithMasterKey_GenderInTheEncryptedValues(TestDatabaseKind kind)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s
            .AddSingleton(new EncryptionSettings(true, new MasterKeyRing(key)))
            .AddMediaProcessing()
            .AddSingleton<IReportProcessor, PdfReportProcessor>());

        var (meta, _) = await ProcessAsync(harness, FemaleReport);

        Assert.Null(meta.Gender);
        Assert.NotNull(meta.ValuesPath);
        var values = await harness.WithDbAsync(db => harness.Services.GetRequiredService<ISensitiveMetaStore>().ReadAsync(db, meta.Id, CancellationToken.None));
        Assert.Equal(PatientGenders.Female, values!.Gender);
    }

    private static async Task<(SensitiveMeta Meta, string AnonymizedText)> ProcessAsync(ProcessingHarness harness, IReadOnlyList<string> lines)
    {
        var id = await harness.AddJobAsync(ReportPdfFixture.CreateTextPdf(lines), "application/pdf");

        Assert.True(await harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout));

        var job = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, job.Status);
        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        var artifact = await harness.WithDbAsync(db => db.ProcessedArtifacts.AsNoTracking().SingleAsync(a => a.UploadJobId == id && a.Kind == PdfReportProcessor.AnonymizedTextKind));
        await using var stream = harness.Services.GetRequiredService<SensitiveArtifactWriter>().OpenRead(artifact.StorageClass, artifact.RelativePath);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return (meta, await reader.ReadToEndAsync().WaitAsync(Timeout));
    }

    [GeneratedRegex(@"Patient: (?:(?<salutation>\p{L}+) )?(?<last>\p{L}+), (?<first>[\p{L}-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PatientLine();
}
