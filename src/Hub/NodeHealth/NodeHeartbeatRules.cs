using Grpc.Core;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Hub.NodeHealth;

/// <summary>
/// What a heartbeat must satisfy before it is stored: counts are not negative, the error class is a short
/// identifier and the version short printable ASCII, so nothing a node sends can carry a message or patient data.
/// </summary>
internal static partial class NodeHeartbeatRules
{
    public const int MaxTextLength = 64;

    public static NodeHeartbeat Check(HeartbeatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SentAt is null)
        {
            throw Invalid("sent_at is required.");
        }

        var outbox = request.Outbox ?? new OutboxCounts();
        long[] counts = [outbox.Queued, outbox.Offered, outbox.Uploading, outbox.Done, outbox.Failed, request.OldestPendingAgeSeconds, request.QuarantineCount];
        if (counts.Any(c => c < 0))
        {
            throw Invalid("Counts and ages cannot be negative.");
        }

        var errorClass = request.LastErrorClass;
        if (errorClass.Length > 0 && !ErrorClassPattern().IsMatch(errorClass))
        {
            throw Invalid($"last_error_class must be at most {MaxTextLength} of A-Z, a-z, 0-9 and '_'.");
        }

        var version = request.Version;
        if (version.Length > MaxTextLength || version.Any(c => c is < ' ' or > '~'))
        {
            throw Invalid($"version must be at most {MaxTextLength} printable ASCII characters.");
        }

        DateTimeOffset sentAt;
        try
        {
            sentAt = request.SentAt.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw Invalid("sent_at is not a valid timestamp.");
        }

        return new NodeHeartbeat(sentAt, outbox.Queued, outbox.Offered, outbox.Uploading, outbox.Done, outbox.Failed,
            request.OldestPendingAgeSeconds, errorClass.Length == 0 ? null : errorClass, request.QuarantineCount, version.Length == 0 ? null : version);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_]{1,64}\\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ErrorClassPattern();
}
