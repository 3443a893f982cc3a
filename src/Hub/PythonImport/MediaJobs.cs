using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// The upload job a report or video of the original gets when no upload job of the original points to it (files the
/// original's watcher or import commands brought in without one). Its id is the video's <c>uuid</c>; a report has no
/// UUID, so its id is derived from the report's row id (a name-based, version 8 UUID), the same on every run.
/// </summary>
internal static class MediaJobs
{
    public const string SourceSystem = "endoreg_db";

    public static SourceUploadJob FromMedia(SourceMediaFile media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var processed = media.ProcessedFile is not null || media.AnonymizedText is not null;
        return new SourceUploadJob(
            media.Uuid ?? ReportId(media.Id),
            media.File!,
            processed ? "anonymized" : "pending",
            "",
            "",
            media.CreatedAt,
            media.CreatedAt,
            media.SensitiveMetaId,
            media.CenterId,
            SourceSystem,
            "",
            "",
            "watcher",
            Path.GetFileName(media.File!),
            null,
            "ingest",
            "upload_watcher",
            "preserve_source");
    }

    /// <summary>Version 8 (RFC 9562, custom) UUID from SHA-256 of <c>endoreg_db_rawpdffile/&lt;id&gt;</c>.</summary>
    public static Guid ReportId(long rowId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"endoreg_db_rawpdffile/{rowId}")))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
