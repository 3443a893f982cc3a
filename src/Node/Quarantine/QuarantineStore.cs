using System.Globalization;
using System.Text.Json;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Quarantine;

/// <summary>
/// Moves refused files into <c>quarantine/</c> with a reason file next to each. Nothing refused is ever
/// deleted: an operator decides what happens next.
/// </summary>
internal sealed partial class QuarantineStore(DataPaths paths, TimeProvider time, ILogger<QuarantineStore> logger)
{
    /// <summary>Moves each existing file of <paramref name="files"/>; returns their new paths.</summary>
    public async Task<IReadOnlyList<string>> QuarantineAsync(IEnumerable<string> files, string what, string why, string boundary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(paths.QuarantineDir);
        var moved = new List<string>();
        foreach (var file in files)
        {
            if (!File.Exists(file) && !IsLink(file))
            {
                continue;
            }

            var target = UniqueTarget(Path.GetFileName(file));
            File.Move(file, target);
            var reason = new QuarantineReason(Path.GetFileName(target), what, why, time.GetUtcNow(), boundary);
            // Written aside and renamed, so a reader never sees half a reason file.
            var reasonFile = target + ".reason.json";
            await File.WriteAllTextAsync(reasonFile + ".tmp", JsonSerializer.Serialize(reason, QuarantineReasonJson.Default.QuarantineReason), cancellationToken);
            File.Move(reasonFile + ".tmp", reasonFile, overwrite: true);
            moved.Add(target);
            LogQuarantined(logger, what, boundary, paths.QuarantineDir);
        }

        return moved;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private string UniqueTarget(string name)
    {
        var target = Path.Combine(paths.QuarantineDir, name);
        for (var i = 1; File.Exists(target) || File.Exists(target + ".reason.json") || IsLink(target); i++)
        {
            target = Path.Combine(paths.QuarantineDir, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(name)}.{i}{Path.GetExtension(name)}"));
        }

        return target;
    }

    // The file name is not logged: names of clinical exports may carry patient identifiers.
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Quarantined a file ({What}) from boundary {Boundary}; its reason file is in {QuarantineDir}")]
    private static partial void LogQuarantined(ILogger logger, string what, string boundary, string quarantineDir);
}
