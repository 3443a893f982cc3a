namespace LxAnnotate.Node.Sync;

internal enum SendResult
{
    /// <summary>The hub's receipt names the same SHA-256 and size.</summary>
    Delivered,

    /// <summary>A transient failure; the item is scheduled again.</summary>
    Retry,

    /// <summary>A permanent refusal; the file went to quarantine with the hub's message.</summary>
    Refused,
}
