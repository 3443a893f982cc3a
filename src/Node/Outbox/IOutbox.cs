namespace LxAnnotate.Node.Outbox;

/// <summary>The one way into the node's durable outbox (ARCHITECTURE §2: boundaries only hand artifacts here).</summary>
internal interface IOutbox
{
    /// <summary>
    /// Moves the file (and its sidecar) into outbox storage and records it, as one durable step.
    /// Throws <see cref="ArtifactRefusedException"/> when the file cannot be taken (e.g. hash mismatch).
    /// </summary>
    Task<AdmitOutcome> AdmitAsync(OutboxArtifact artifact, CancellationToken cancellationToken);
}
