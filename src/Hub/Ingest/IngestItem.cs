namespace LxAnnotate.Hub.Ingest;

/// <summary>One artifact of <see cref="IngestService.IngestManyAsync"/>: its metadata and its bytes, already in memory.</summary>
public sealed record IngestItem(IngestRequest Request, ReadOnlyMemory<byte> Content);

/// <summary>
/// What <see cref="IngestService.IngestManyAsync"/> did with one artifact: its job (new or reused), or the refusal
/// <see cref="IngestService.IngestAsync"/> would have thrown for it.
/// </summary>
public readonly record struct IngestItemOutcome(IngestResult? Result, IngestRejectedException? Rejection);
