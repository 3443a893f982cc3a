using System.Globalization;
using Npgsql;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Tells which endoreg-db line a database runs from its <c>django_migrations</c> history, checked against the columns
/// the import reads, and refuses anything else: importing a schema the reader does not know could mis-assign rows.
/// </summary>
internal static class PythonSchemaDetector
{
    private static readonly string[] Tables =
        ["endoreg_db_center", "endoreg_db_sensitivemeta", "endoreg_db_uploadjob", "endoreg_db_rawpdffile", "endoreg_db_videofile"];

    /// <summary>Upload job columns of the 1.0 line that the 0.7 line lacks.</summary>
    private static readonly string[] V10UploadJobColumns =
        ["source_center_id", "source_system", "content_hash", "idempotency_key", "ingest_mode", "original_filename",
         "processing_provenance", "storage_class", "storage_tier", "retention_policy"];

    public static async Task<PythonSchemaLine> DetectAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = await ListAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", cancellationToken);
        if (!tables.Contains("django_migrations"))
        {
            throw new PythonImportException("the source database has no django_migrations table: it is not an lx-annotate / endoreg-db database");
        }

        var migrations = await ListAsync(connection, "SELECT name FROM django_migrations WHERE app = 'endoreg_db' ORDER BY name", cancellationToken);
        var missing = Tables.Where(t => !tables.Contains(t)).ToList();
        var columns = await ColumnsAsync(connection, "endoreg_db_uploadjob", cancellationToken);
        var v10Columns = V10UploadJobColumns.Count(columns.Contains);
        var history = migrations.Count == 0
            ? "no endoreg_db migration applied"
            : string.Create(CultureInfo.InvariantCulture, $"{migrations.Count} endoreg_db migration(s), last '{migrations.Max(StringComparer.Ordinal)}'");

        if (missing.Count == 0 && migrations.Contains("0001_initial"))
        {
            if (migrations.Count == 1 && v10Columns == 0)
            {
                return PythonSchemaLine.V07;
            }

            // 0011_hub_ingest_metadata is the node that brings the ingest columns in every 1.0 history (endoreg-db's own,
            // and lx-annotate's override set, where it bridges its 0010 that adds them).
            if (migrations.Contains("0011_hub_ingest_metadata") && v10Columns == V10UploadJobColumns.Length)
            {
                return PythonSchemaLine.V10;
            }
        }

        var detail = missing.Count > 0
            ? "missing table(s) " + string.Join(", ", missing)
            : string.Create(CultureInfo.InvariantCulture, $"{v10Columns} of the {V10UploadJobColumns.Length} ingest columns of the 1.0 upload job");
        throw new PythonImportException(
            $"unknown endoreg-db schema version ({history}; {detail}): this import reads the 0.7 line (only 0001_initial) and the 1.0.x line (lx-annotate's pinned 1.0.6.3); nothing was imported");
    }

    /// <summary>The columns of one of the original's tables.</summary>
    public static Task<HashSet<string>> ColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ListAsync(connection,
            $"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'",
            cancellationToken);
    }

    private static async Task<HashSet<string>> ListAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
