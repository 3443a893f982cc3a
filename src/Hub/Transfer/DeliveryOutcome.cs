namespace LxAnnotate.Hub.Transfer;

/// <summary>
/// One delivery of <see cref="Delivery.Deliveries.DeliverManyAsync"/>: its outcome, or the refusal
/// (<see cref="TransferException"/> or <see cref="Ingest.IngestRejectedException"/>) that <see cref="Delivery.Deliveries.DeliverAsync"/> would have thrown.
/// </summary>
public readonly record struct DeliveryOutcome(UploadOutcome? Outcome, Exception? Refusal);
