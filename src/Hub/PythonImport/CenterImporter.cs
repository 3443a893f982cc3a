using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Maps every center of the original to one of ours: a center with the same name is the same center (it was imported
/// before, or created by hand with the original's name); otherwise a new one is created with the name unchanged, the
/// display name, and the original's <c>center_key</c> where it has one that is a valid key here and free (so its
/// clients see the same <c>source_center_key</c>), else a key derived from the name. Existing centers are never changed.
/// </summary>
internal static class CenterImporter
{
    public static async Task<Dictionary<long, Center>> ImportAsync(LxaDbContext db, IReadOnlyList<SourceCenter> sources, bool dryRun, ImportCounts counts, ImportAudit audit, CancellationToken cancellationToken)
    {
        var ours = await db.Centers.AsNoTracking().ToListAsync(cancellationToken);
        var byName = ours.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Id).First(), StringComparer.Ordinal);
        var keys = ours.Select(c => c.CenterKey).ToHashSet(StringComparer.Ordinal);
        var map = new Dictionary<long, Center>();
        foreach (var source in sources)
        {
            if (byName.TryGetValue(source.Name, out var existing))
            {
                map[source.Id] = existing;
                counts.CentersPresent++;
                continue;
            }

            var key = source.CenterKey is { } original && CenterKeys.IsValid(original) && !keys.Contains(original)
                ? original
                : CenterKeys.FromName(source.Name, source.Id);
            if (keys.Contains(key))
            {
                key = CenterKeys.WithSourceId(key, source.Id);
            }

            var center = new Center { CenterKey = key, Name = source.Name, DisplayName = source.DisplayName, CreatedAt = audit.Time.GetUtcNow() };
            if (!dryRun)
            {
                db.Centers.Add(center);
                var added = audit.Add("center_added", "center", key, new() { ["name"] = source.Name, ["display_name"] = source.DisplayName, ["imported_from"] = "python" });
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                audit.Log(added);
            }

            keys.Add(key);
            byName[source.Name] = center;
            map[source.Id] = center;
            counts.CentersCreated++;
        }

        return map;
    }
}
