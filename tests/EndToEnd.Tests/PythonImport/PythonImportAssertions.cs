using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.EndToEnd.Tests.PythonImport;

/// <summary>Row-by-row and file-by-file comparisons of an import with its source.</summary>
internal static class PythonImportAssertions
{
    private const string SourceJobs =
        "SELECT j.id::text, j.status, j.content_type, j.content_hash, j.idempotency_key, j.source_system, j.ingest_mode, j.storage_tier, j.retention_policy, "
        + "j.original_filename, j.created_at, c.name, j.error_detail, j.storage_class FROM endoreg_db_uploadjob j JOIN endoreg_db_center c ON c.id = j.source_center_id ORDER BY j.id";

    private const string TargetJobs =
        "SELECT j.id::text, j.status, j.content_type, j.content_hash, coalesce(j.idempotency_key, ''), j.source_system, j.ingest_mode, j.storage_tier, j.retention_policy, "
        + "j.original_filename, j.created_at, c.name, coalesce(j.error_detail, ''), j.storage_path, j.storage_encoding, j.size_bytes, j.processing_provenance::text, j.storage_class "
        + "FROM upload_jobs j JOIN centers c ON c.id = j.source_center_id ORDER BY j.id";

    public static async Task EveryJobImportedAsync(PythonInstall install)
    {
        var source = await PythonInstall.QueryAsync(install.Source.ConnectionString, SourceJobs, r => Enumerable.Range(0, 14).Select(i => Text(r.GetValue(i))).ToArray());
        var target = await PythonInstall.QueryAsync(install.Target.ConnectionString, TargetJobs, r => Enumerable.Range(0, 18).Select(i => Text(r.GetValue(i))).ToArray());
        Assert.Equal(source.Count, target.Count);
        var ring = new MasterKeyRing(install.Key);
        for (var i = 0; i < source.Count; i++)
        {
            var (s, t) = (source[i], target[i]);
            var expected = s[..13];
            expected[1] = expected[1] == "processing" ? "pending" : expected[1];
            expected[12] = expected[1] is "error" or "lost" ? expected[12] : "";
            Assert.Equal(expected, t[..13]);
            var stored = Path.Combine(install.HubStorage, t[13]);
            var bytes = t[14] == "encrypted" ? Decrypt(stored, ring) : File.ReadAllBytes(stored);
            Assert.Equal(s[3], Sha(bytes));
            Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), t[15]);
            using var provenance = JsonDocument.Parse(t[16]);
            Assert.Equal(s[3], provenance.RootElement.GetProperty("content_hash").GetString());
            Assert.Equal(t[13].Split('/')[1], provenance.RootElement.GetProperty("source_center_key").GetString());

            // The original's storage class is taken as it is, into the column and the provenance.
            Assert.Equal(s[13], t[17]);
            Assert.Equal(s[13], provenance.RootElement.GetProperty("storage_class").GetString());
        }

        // Reports and texts are sensitive: with a master key they are stored encrypted; the video stays managed.
        Assert.All(target.Where(t => t[2] != "video/mp4"), t => Assert.Equal("encrypted", t[14]));
        Assert.Equal("managed", Assert.Single(target, t => t[2] == "video/mp4")[14]);
    }

    public static async Task SensitiveMetaEncryptedWithOriginalHashesAsync(PythonInstall install)
    {
        var source = await PythonInstall.QueryAsync(
            install.Source.ConnectionString,
            "SELECT j.id::text, m.patient_hash, m.examination_hash, m.patient_first_name, m.patient_last_name, m.examination_date::text FROM endoreg_db_uploadjob j JOIN endoreg_db_sensitivemeta m ON m.id = j.sensitive_meta_id ORDER BY j.id",
            r => (Id: r.GetString(0), Patient: r.GetString(1), Examination: r.GetString(2), First: r.GetString(3), Last: r.GetString(4), Date: r.GetString(5)));
        var target = await PythonInstall.QueryAsync(
            install.Target.ConnectionString,
            "SELECT upload_job_id::text, patient_hash, examination_hash, first_name, values_path FROM sensitive_meta ORDER BY upload_job_id",
            r => (Id: r.GetString(0), Patient: r.GetString(1), Examination: r.GetString(2), First: r.IsDBNull(3) ? null : r.GetString(3), Path: r.GetString(4)));
        Assert.Equal(source.Select(s => (s.Id, s.Patient, s.Examination)), target.Select(t => (t.Id, t.Patient, t.Examination)));
        var ring = new MasterKeyRing(install.Key);
        foreach (var (s, t) in source.Zip(target))
        {
            Assert.Null(t.First);
            var file = Path.Combine(install.HubStorage, t.Path);
            Assert.True(LxEnc01.IsEncryptedFile(file));
            using var values = JsonDocument.Parse(Decrypt(file, ring));
            Assert.Equal(s.First, values.RootElement.GetProperty("first_name").GetString());
            Assert.Equal(s.Last, values.RootElement.GetProperty("last_name").GetString());
            Assert.Equal(s.Date, values.RootElement.GetProperty("examination_date").GetString());
        }
    }

    public static async Task ProcessedOutputsMatchSourceAsync(PythonInstall install)
    {
        var pdf = (await PythonInstall.QueryAsync(install.Source.ConnectionString, "SELECT processed_file, text, anonymized_text FROM endoreg_db_rawpdffile", r => (File: r.GetString(0), Text: r.GetString(1), Anonymized: r.GetString(2)))).Single();
        var video = (await PythonInstall.QueryAsync(install.Source.ConnectionString, "SELECT processed_file FROM endoreg_db_videofile", r => r.GetString(0))).Single();
        var artifacts = await PythonInstall.QueryAsync(
            install.Target.ConnectionString,
            "SELECT kind, storage_class, relative_path, sha256, size_bytes FROM processed_artifact ORDER BY kind",
            r => (Kind: r.GetString(0), Class: r.GetString(1), Path: r.GetString(2), Sha: r.GetString(3), Size: r.GetInt64(4)));
        var expected = new Dictionary<string, byte[]>
        {
            ["anonymized_pdf"] = File.ReadAllBytes(Path.Combine(install.PythonStorage, pdf.File)),
            ["anonymized_text"] = Encoding.UTF8.GetBytes(pdf.Anonymized),
            ["masked_video"] = File.ReadAllBytes(Path.Combine(install.PythonStorage, video)),
            ["report_text"] = Encoding.UTF8.GetBytes(pdf.Text),
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), artifacts.Select(a => a.Kind));
        var ring = new MasterKeyRing(install.Key);
        foreach (var artifact in artifacts)
        {
            var path = Path.Combine(install.HubStorage, artifact.Path);
            var stored = artifact.Class == "encrypted" ? Decrypt(path, ring) : File.ReadAllBytes(path);
            Assert.Equal(expected[artifact.Kind], stored);
            Assert.Equal(Sha(stored), artifact.Sha);
            Assert.Equal(stored.Length, artifact.Size);
            Assert.Equal(artifact.Kind == "masked_video" ? "managed" : "encrypted", artifact.Class);
        }

        var processedHash = await PythonInstall.QueryAsync(install.Target.ConnectionString, "SELECT processed_video_hash FROM upload_jobs WHERE processed_video_hash IS NOT NULL", r => r.GetString(0));
        Assert.Equal(Sha(expected["masked_video"]), Assert.Single(processedHash));
    }

    public static async Task<string> StoragePathAsync(PythonInstall install, string jobId) =>
        (await PythonInstall.QueryAsync(install.Target.ConnectionString, $"SELECT storage_path FROM upload_jobs WHERE id = '{jobId}'", r => r.GetString(0))).Single();

    private static byte[] Decrypt(string path, MasterKeyRing ring)
    {
        using var reader = LxEnc01ReadStream.OpenFile(path, ring);
        var plaintext = new byte[reader.Length];
        reader.ReadExactly(plaintext);
        return plaintext;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Text(object value) => value switch
    {
        DateTime time => time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DBNull => "",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };
}
