using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Shared.Data;
using LxAnnotate.Shared.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// Stores <see cref="SensitiveMeta"/> rows in the hub database with <c>patient_hash</c> and
/// <c>examination_hash</c> computed from the salt. The values are plain columns here: the database must
/// sit on the operator's encrypted storage (application-level encryption replaces this class when it exists).
/// </summary>
internal sealed class DatabaseSensitiveMetaStore(SaltProvider salt) : ISensitiveMetaStore
{
    public async Task<long> StoreAsync(LxaDbContext db, Guid jobId, long centerId, SensitiveValues values, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(values);
        var centerName = await db.Centers.AsNoTracking().Where(c => c.Id == centerId).Select(c => c.Name).FirstAsync(cancellationToken);
        var saltValue = salt.Value;
        var hasPatient = values.FirstName is not null || values.LastName is not null || values.DateOfBirth is not null;
        var row = new SensitiveMeta
        {
            UploadJobId = jobId,
            CenterId = centerId,
            Source = values.Source,
            FirstName = values.FirstName,
            LastName = values.LastName,
            DateOfBirth = values.DateOfBirth,
            ExaminationDate = values.ExaminationDate,
            ExaminationTime = values.ExaminationTime,
            EndoscopeType = values.EndoscopeType,
            EndoscopeSn = values.EndoscopeSn,
            PatientHash = hasPatient ? SensitiveHashes.PatientHash(values.FirstName, values.LastName, values.DateOfBirth, centerName, saltValue) : null,
            ExaminationHash = hasPatient
                ? SensitiveHashes.ExaminationHash(values.FirstName, values.LastName, values.DateOfBirth, centerName, values.ExaminationDate, saltValue)
                : null,
            CreatedAt = now,
        };
        db.SensitiveMetas.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return row.Id;
    }
}
