using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Processing.Sensitive;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Recomputes <c>patient_hash</c> and <c>examination_hash</c> from the imported rows (the values as stored here, the
/// center's name, the salt) and compares them with the hashes the original stored. In a dry run the values are the
/// source's. A difference means the salt or the center name is not the one the original used.
/// </summary>
internal static class HashCheck
{
    public static async Task RunAsync(LxaDbContext db, SensitiveArtifactWriter writer, IReadOnlyList<PlannedJob> plans, IReadOnlyDictionary<long, string> centerNames, string salt, bool dryRun, ImportCounts counts, CancellationToken cancellationToken)
    {
        var jobIds = plans.Where(p => p.Meta is not null && p.CenterId is not null).Select(p => p.Job.Id).ToList();
        var imported = dryRun ? [] : await db.SensitiveMetas.AsNoTracking().Where(m => jobIds.Contains(m.UploadJobId))
            .Join(db.Centers, m => m.CenterId, c => c.Id, (m, c) => new { Meta = m, c.Name }).ToListAsync(cancellationToken);
        foreach (var row in imported)
        {
            var values = row.Meta.ValuesPath is null
                ? new Processing.Pipeline.SensitiveValues(row.Meta.Source, row.Meta.FirstName, row.Meta.LastName, row.Meta.DateOfBirth, row.Meta.ExaminationDate, null, null, null)
                : await ReadValuesAsync(writer, row.Meta.ValuesPath, cancellationToken);
            Compare(values.FirstName, values.LastName, values.DateOfBirth, values.ExaminationDate, row.Name, salt, row.Meta.PatientHash, row.Meta.ExaminationHash, counts);
        }

        if (!dryRun)
        {
            return;
        }

        foreach (var plan in plans.Where(p => p.Meta is not null && p.CenterId is not null))
        {
            var meta = plan.Meta!;
            Compare(meta.FirstName, meta.LastName, meta.DateOfBirth, meta.ExaminationDate, centerNames[plan.CenterId!.Value], salt, meta.PatientHash, meta.ExaminationHash, counts);
        }
    }

    private static async Task<Processing.Pipeline.SensitiveValues> ReadValuesAsync(SensitiveArtifactWriter writer, string path, CancellationToken cancellationToken)
    {
        await using var content = writer.OpenRead(SensitiveArtifactWriter.EncryptedClass, path);
        return await JsonSerializer.DeserializeAsync(content, SensitiveValuesJson.Default.SensitiveValues, cancellationToken)
            ?? throw new InvalidDataException($"{path}: the values file is empty");
    }

    private static void Compare(string? first, string? last, DateOnly? dob, DateOnly? examinationDate, string centerName, string salt, string? patientHash, string? examinationHash, ImportCounts counts)
    {
        Count(patientHash, SensitiveHashes.PatientHash(first, last, dob, centerName, salt), counts);
        Count(examinationHash, SensitiveHashes.ExaminationHash(first, last, dob, centerName, examinationDate, salt), counts);
    }

    private static void Count(string? stored, string recomputed, ImportCounts counts)
    {
        if (stored is null)
        {
            counts.HashesNotStored++;
        }
        else if (string.Equals(stored, recomputed, StringComparison.OrdinalIgnoreCase))
        {
            counts.HashesEqual++;
        }
        else
        {
            counts.HashesDiffering++;
        }
    }
}
