using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// Stores <see cref="SensitiveMeta"/> rows (laid out by <see cref="SensitiveMetaRows"/>) with <c>patient_hash</c> and
/// <c>examination_hash</c> computed from the salt over the fields that were kept (<see cref="SensitiveHashes.ForValues"/>). With a master key the values (names, birth date, examination date and time, endoscope type and serial)
/// are written as one LXENC01 JSON file, <c>STORAGE_DIR/sensitive/&lt;center_key&gt;/&lt;job id&gt;.json.lxenc</c>, and
/// the row keeps only ids, source, hashes and that path. Without a master key, which only a role that does not
/// require encryption allows (central_hub always has one), the values are plain columns, for a database on the
/// operator's encrypted filesystem.
/// </summary>
internal sealed class DatabaseSensitiveMetaStore(SaltProvider salt, SensitiveArtifactWriter writer) : ISensitiveMetaStore
{
    public async Task<long> StoreAsync(LxaDbContext db, Guid jobId, long centerId, SensitiveValues values, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(values);
        var center = await db.Centers.AsNoTracking().Where(c => c.Id == centerId).Select(c => new { c.Name, c.CenterKey }).FirstAsync(cancellationToken);
        var (patientHash, examinationHash) = SensitiveHashes.ForValues(values, center.Name, salt.Value);
        var row = await SensitiveMetaRows.CreateAsync(writer, jobId, centerId, center.CenterKey, values, patientHash, examinationHash, now, cancellationToken);
        db.SensitiveMetas.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return row.Id;
    }

    public async Task<SensitiveValues?> ReadAsync(LxaDbContext db, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var row = await db.SensitiveMetas.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.ValuesPath is null)
        {
            return new SensitiveValues(row.Source, row.FirstName, row.LastName, row.DateOfBirth, row.ExaminationDate, row.ExaminationTime, row.EndoscopeType, row.EndoscopeSn, row.Gender);
        }

        await using var content = writer.OpenRead(SensitiveArtifactWriter.EncryptedClass, row.ValuesPath);
        return await JsonSerializer.DeserializeAsync(content, SensitiveValuesJson.Default.SensitiveValues, cancellationToken)
            ?? throw new InvalidDataException($"sensitive_meta {id}: the values file is empty.");
    }
}
