using LxAnnotate.Node.Outbox;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace LxAnnotate.Node.Health;

/// <summary>Reads what a heartbeat reports: outbox counts by state, the oldest waiting item's age, the last error's class, the quarantine.</summary>
internal sealed class NodeStateReader(OutboxStore outbox, OutboxDatabase database, DataPaths paths, TimeProvider time)
{
    /// <summary>The version a heartbeat reports: the node binary's informational version, without build metadata.</summary>
    public static string Version { get; } = (typeof(NodeStateReader).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown")
        .Split('+')[0] is { Length: <= 64 } v ? v : "unknown";

    public async Task<HeartbeatRequest> ReadAsync(CancellationToken cancellationToken)
    {
        var counts = await outbox.CountsAsync(cancellationToken);
        var (oldestCreatedMs, lastError) = await OldestAndLastErrorAsync(cancellationToken);
        var now = time.GetUtcNow();
        return new HeartbeatRequest
        {
            SentAt = Timestamp.FromDateTimeOffset(now),
            Outbox = new OutboxCounts
            {
                Queued = counts.GetValueOrDefault(OutboxState.Queued),
                Offered = counts.GetValueOrDefault(OutboxState.Offered),
                Uploading = counts.GetValueOrDefault(OutboxState.Uploading),
                Done = counts.GetValueOrDefault(OutboxState.Done),
                Failed = counts.GetValueOrDefault(OutboxState.Failed),
            },
            OldestPendingAgeSeconds = oldestCreatedMs is { } ms ? Math.Max(0, (long)(now - DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds) : 0,
            LastErrorClass = ErrorClass.Of(lastError) ?? "",
            QuarantineCount = QuarantinedFiles(),
            Version = Version,
        };
    }

    private async Task<(long? OldestCreatedMs, string? LastError)> OldestAndLastErrorAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT min(created_at) FROM outbox_items WHERE state IN ('queued', 'offered', 'uploading')),
                   (SELECT last_error FROM outbox_items WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long? oldest = await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetInt64(0);
        var lastError = await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetString(1);
        return (oldest, lastError);
    }

    /// <summary>Quarantined files, not counting the reason file beside each.</summary>
    private long QuarantinedFiles() =>
        Directory.Exists(paths.QuarantineDir)
            ? Directory.EnumerateFiles(paths.QuarantineDir).LongCount(f => !f.EndsWith(".reason.json", StringComparison.Ordinal) && !f.EndsWith(".tmp", StringComparison.Ordinal))
            : 0;
}
