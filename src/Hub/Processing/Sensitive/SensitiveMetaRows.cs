using System.Text.Json;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// The <see cref="SensitiveMeta"/> row of a job's values and hashes, the one way such a row is laid out: with a master
/// key the values are written to <c>STORAGE_DIR/sensitive/&lt;center_key&gt;/&lt;job id&gt;.json.lxenc</c> and the
/// row keeps only ids, source, hashes, <c>is_verified</c>, the per-field read quality and that path; without one the
/// values are plain columns. <c>is_verified</c> follows <see cref="SensitiveVerification"/>.
/// </summary>
internal static class SensitiveMetaRows
{
    public static async Task<SensitiveMeta> CreateAsync(
        SensitiveArtifactWriter writer,
        Guid jobId,
        long centerId,
        string centerKey,
        SensitiveValues values,
        string? patientHash,
        string? examinationHash,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        var isVerified = SensitiveVerification.IsVerified(values, DateOnly.FromDateTime(now.UtcDateTime));
        var fieldQuality = FieldQualityJson.Serialize(values.FieldQuality);
        if (!writer.Encrypts)
        {
            return new SensitiveMeta
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
                Gender = values.Gender,
                IsVerified = isVerified,
                FieldQuality = fieldQuality,
                PatientHash = patientHash,
                ExaminationHash = examinationHash,
                CreatedAt = now,
            };
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(values, SensitiveValuesJson.Default.SensitiveValues);
        ProducedArtifact stored;
        using (var content = new MemoryStream(json, writable: false))
        {
            stored = await writer.WriteAsync("sensitive_meta", content, Path.Join("sensitive", centerKey, jobId.ToString("N") + ".json"), cancellationToken);
        }

        return new SensitiveMeta
        {
            UploadJobId = jobId,
            CenterId = centerId,
            Source = values.Source,
            IsVerified = isVerified,
            FieldQuality = fieldQuality,
            PatientHash = patientHash,
            ExaminationHash = examinationHash,
            ValuesPath = stored.RelativePath,
            CreatedAt = now,
        };
    }
}
