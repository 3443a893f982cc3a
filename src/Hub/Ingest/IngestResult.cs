using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Ingest;

/// <summary>The job an ingest produced, and whether it is new or an existing one that was reused.</summary>
public sealed record IngestResult(UploadJob Job, bool Created);
