using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Ingest;

/// <summary>An item of a batch whose center is decided and whose bytes are staged and verified; <see cref="Index"/> is its place in the call.</summary>
internal readonly record struct StagedBatchItem(int Index, IngestRequest Request, Center Center, StagedContent Staged);
