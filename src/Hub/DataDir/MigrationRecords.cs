using System.Globalization;
using System.Text.Json;

namespace LxAnnotate.Hub.DataDir;

/// <summary>The migration's marker files (<see cref="MigrationProgressRecord"/>, <see cref="MigrationCompleteRecord"/>) and time stamps.</summary>
internal static class MigrationRecords
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The UTC time as it appears in backup and failed-migration directory names.</summary>
    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <returns>The record, or null when the file does not exist.</returns>
    /// <exception cref="DataDirMigrationException">The file is not readable JSON.</exception>
    public static T? Read<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new DataDirMigrationException($"{path} is not readable JSON ({ex.Message}); inspect it and remove it if no migration is running");
        }
    }

    public static Task WriteCompleteAsync(string target, MigrationCompleteRecord record, CancellationToken cancellationToken) =>
        WriteAsync(Path.Join(target, DataDirMigrator.CompleteMarker), record, cancellationToken);

    /// <summary>Temporary file, fsync, rename: a crash leaves the old record or the new one, never half of one.</summary>
    public static async Task WriteAsync<T>(string path, T record, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(stream, record, Json, cancellationToken);
#pragma warning disable CA1849 // fsync has no asynchronous form.
            stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        File.Move(temporary, path, overwrite: true);
    }
}
