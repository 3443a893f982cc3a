using System.Data;
using Npgsql;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Reads the original's rows the import needs, in one read-only repeatable-read transaction so every table is seen at
/// the same instant. Never writes to the source.
/// </summary>
internal static class PythonSourceReader
{
    private const string V10Jobs =
        "SELECT id, file, status, content_type, error_detail, created_at, updated_at, sensitive_meta_id, source_center_id, source_system, "
        + "content_hash, idempotency_key, ingest_mode, original_filename, processing_provenance->>'entrypoint', storage_class, storage_tier, retention_policy "
        + "FROM endoreg_db_uploadjob ORDER BY created_at, id";

    private const string V07Jobs =
        "SELECT id, file, status, content_type, error_detail, created_at, updated_at, sensitive_meta_id, NULL::bigint, 'api', "
        + "'', '', 'api', '', NULL::text, 'ingest', 'upload_api', 'preserve_source' FROM endoreg_db_uploadjob ORDER BY created_at, id";

    public static async Task<PythonSnapshot> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var line = await PythonSchemaDetector.DetectAsync(connection, cancellationToken);
        var centerColumns = await PythonSchemaDetector.ColumnsAsync(connection, "endoreg_db_center", cancellationToken);
        var reportColumns = await PythonSchemaDetector.ColumnsAsync(connection, "endoreg_db_rawpdffile", cancellationToken);
        var centers = await ReadAsync(connection,
            "SELECT id, name, " + (centerColumns.Contains("display_name") ? "display_name" : "NULL::text") + ", "
                + (centerColumns.Contains("center_key") ? "center_key" : "NULL::text") + " FROM endoreg_db_center ORDER BY id",
            r => new SourceCenter(r.GetInt64(0), r.GetString(1), NullIfEmpty(r, 2), NullIfEmpty(r, 3)), cancellationToken);
        var metas = await ReadAsync(connection, line == PythonSchemaLine.V10
                ? "SELECT id, center_id, patient_first_name, patient_last_name, patient_dob, examination_date, examination_time, endoscope_type, endoscope_sn, patient_hash, examination_hash FROM endoreg_db_sensitivemeta"
                : "SELECT id, center_id, patient_first_name, patient_last_name, patient_dob, examination_date, NULL::time, endoscope_type, endoscope_sn, patient_hash, examination_hash FROM endoreg_db_sensitivemeta",
            ReadMeta, cancellationToken);
        var jobs = await ReadAsync(connection, line == PythonSchemaLine.V10 ? V10Jobs : V07Jobs, ReadJob, cancellationToken);
        // The anonymized PDF: anonymized_file on the 0.7 line, processed_file in lx-annotate's 1.0 migration set.
        var reportOutput = reportColumns.Contains("processed_file") ? "processed_file" : "anonymized_file";
        var reports = await ReadAsync(connection,
            $"SELECT id, date_created, center_id, sensitive_meta_id, file, {reportOutput}, text, anonymized_text FROM endoreg_db_rawpdffile ORDER BY id",
            r => new SourceMediaFile(false, r.GetInt64(0), null, r.GetFieldValue<DateTimeOffset>(1), Long(r, 2), Long(r, 3), NullIfEmpty(r, 4), NullIfEmpty(r, 5), NullIfEmpty(r, 6), NullIfEmpty(r, 7)),
            cancellationToken);
        var videos = await ReadAsync(connection,
            "SELECT id, uuid, uploaded_at, center_id, sensitive_meta_id, raw_file, processed_file FROM endoreg_db_videofile ORDER BY id",
            r => new SourceMediaFile(true, r.GetInt64(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), Long(r, 3), Long(r, 4), NullIfEmpty(r, 5), NullIfEmpty(r, 6), null, null),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PythonSnapshot(line, centers, metas.ToDictionary(m => m.Id), jobs, [.. reports, .. videos]);
    }

    private static SourceSensitiveMeta ReadMeta(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        Long(r, 1),
        NullIfEmpty(r, 2),
        NullIfEmpty(r, 3),
        // Django keeps the birth date as an aware datetime stored in UTC; its date is the UTC date.
        r.IsDBNull(4) ? null : DateOnly.FromDateTime(r.GetFieldValue<DateTimeOffset>(4).UtcDateTime),
        r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<TimeOnly>(6),
        NullIfEmpty(r, 7),
        NullIfEmpty(r, 8),
        NullIfEmpty(r, 9),
        NullIfEmpty(r, 10));

    private static SourceUploadJob ReadJob(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.GetFieldValue<DateTimeOffset>(5),
        r.GetFieldValue<DateTimeOffset>(6),
        Long(r, 7),
        Long(r, 8),
        r.GetString(9),
        r.GetString(10),
        r.GetString(11),
        r.GetString(12),
        r.GetString(13),
        NullIfEmpty(r, 14),
        r.GetString(15),
        r.GetString(16),
        r.GetString(17));

    private static long? Long(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt64(ordinal);

    private static string? NullIfEmpty(NpgsqlDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) || r.GetString(ordinal).Length == 0 ? null : r.GetString(ordinal);

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
