namespace LxAnnotate.Node.Outbox;

/// <summary>States of an outbox item; stored under these lower-case names.</summary>
internal static class OutboxState
{
    /// <summary>Recorded, file being moved in (only between the two steps of taking; repaired at start).</summary>
    public const string Taking = "taking";

    public const string Queued = "queued";

    public const string Offered = "offered";

    public const string Uploading = "uploading";

    public const string Done = "done";

    public const string Failed = "failed";

    public static readonly string[] All = [Taking, Queued, Offered, Uploading, Done, Failed];
}
