namespace LxAnnotate.Node.Outbox;

internal enum AdmitOutcome
{
    /// <summary>Moved into the outbox and recorded; gone from the drop folder.</summary>
    Admitted,

    /// <summary>Same content is already in the outbox (or was delivered); the dropped copy was removed.</summary>
    Duplicate,

    /// <summary>The hub already stores the content (asked before taking, by push): recorded as delivered, nothing taken.</summary>
    AlreadyStored,
}
