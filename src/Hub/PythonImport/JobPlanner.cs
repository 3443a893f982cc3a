using System.Globalization;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Resolves each source job's center, content type, sensitive meta and report/video row. A job whose row names no
/// center (always on the 0.7 line) takes the center of its sensitive meta or of its report/video file; when none is
/// known, or they disagree, the job is unassignable and is reported, never guessed: a wrong center is a data-isolation failure.
/// Reports and videos that no upload job points to become jobs of their own (<see cref="MediaJobs"/>).
/// </summary>
internal static class JobPlanner
{
    public static List<PlannedJob> Plan(PythonSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var bySensitiveMeta = snapshot.MediaFiles.Where(m => m.SensitiveMetaId is not null)
            .GroupBy(m => m.SensitiveMetaId!.Value).ToDictionary(g => g.Key, g => g.First());
        var byFile = snapshot.MediaFiles.Where(m => m.File is not null)
            .GroupBy(m => m.File!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var centers = snapshot.Centers.Select(c => c.Id).ToHashSet();
        var plans = new List<PlannedJob>(snapshot.Jobs.Count);
        foreach (var job in snapshot.Jobs.Concat(UnlinkedMedia(snapshot).Select(MediaJobs.FromMedia)))
        {
            SourceSensitiveMeta? meta = null;
            if (job.SensitiveMetaId is { } metaId)
            {
                snapshot.SensitiveMetas.TryGetValue(metaId, out meta);
            }

            var media = job.SensitiveMetaId is { } id && bySensitiveMeta.TryGetValue(id, out var linked) ? linked
                : byFile.GetValueOrDefault(job.File);
            var (centerId, why) = ResolveCenter(job, meta, media, centers);
            plans.Add(new PlannedJob(job, centerId, why, ContentTypeOf(job), meta, media));
        }

        return plans;
    }

    /// <summary>Reports and videos with a file that no upload job points to (by sensitive meta or by path).</summary>
    public static IEnumerable<SourceMediaFile> UnlinkedMedia(PythonSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metas = snapshot.Jobs.Where(j => j.SensitiveMetaId is not null).Select(j => j.SensitiveMetaId!.Value).ToHashSet();
        var files = snapshot.Jobs.Select(j => j.File).ToHashSet(StringComparer.Ordinal);
        return snapshot.MediaFiles.Where(m => m.File is not null && !files.Contains(m.File)
            && (m.SensitiveMetaId is not { } meta || !metas.Contains(meta)));
    }

    private static (long? CenterId, string? Why) ResolveCenter(SourceUploadJob job, SourceSensitiveMeta? meta, SourceMediaFile? media, HashSet<long> centers)
    {
        if (job.SourceCenterId is { } declared)
        {
            return centers.Contains(declared) ? (declared, null) : (null, "its source_center does not exist");
        }

        var derived = new[] { meta?.CenterId, media?.CenterId }.Where(c => c is not null).Select(c => c!.Value).Distinct().ToList();
        return derived.Count switch
        {
            0 => (null, "no center: the job names none and neither its sensitive meta nor a report/video file does"),
            1 when centers.Contains(derived[0]) => (derived[0], null),
            1 => (null, "the derived center does not exist"),
            _ => (null, string.Create(CultureInfo.InvariantCulture, $"its sensitive meta and its file name different centers ({derived[0]}, {derived[1]})")),
        };
    }

    /// <summary>The recorded MIME type; where the 0.7 line left it empty, the type its file name implies.</summary>
    private static string ContentTypeOf(SourceUploadJob job)
    {
        if (!string.IsNullOrWhiteSpace(job.ContentType))
        {
            return job.ContentType.Trim();
        }

        return Path.GetExtension(job.File).ToLowerInvariant() switch
        {
            ".pdf" => "application/pdf",
            ".mp4" => "video/mp4",
            ".mov" => "video/quicktime",
            ".avi" => "video/x-msvideo",
            ".mkv" => "video/x-matroska",
            ".txt" => "text/plain",
            ".json" => "application/json",
            ".xml" => "application/xml",
            _ => "application/octet-stream",
        };
    }
}
