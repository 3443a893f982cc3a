using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// Contents of <c>&lt;target&gt;/.migration-in-progress</c>: present from the first copied byte until the
/// migration is complete, so a run after a crash knows the target's files are its own partial copy.
/// </summary>
/// <param name="Backup">Set once verification passed, just before the source is renamed to it.</param>
internal sealed record MigrationProgressRecord(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("backup")] string? Backup);
