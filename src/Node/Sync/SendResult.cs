namespace LxAnnotate.Node.Sync;

internal enum SendResult
{
    /// <summary>The hub's receipt names the same SHA-256 and size.</summary>
    Delivered,

    /// <summary>A transient failure; the item is scheduled again.</summary>
    Retry,

    /// <summary>A permanent refusal; the file went to quarantine with the hub's message.</summary>
    Refused,

    /// <summary>
    /// The hub does not accept this node (<c>UNAUTHENTICATED</c>: its certificate revoked, expired or unknown, or the
    /// node deactivated). Nothing is wrong with the item: it is scheduled again like a transient failure, so a node
    /// that an operator restores (or that renews its certificate) sends it; a one-shot push stops here.
    /// </summary>
    NodeNotAccepted,
}
