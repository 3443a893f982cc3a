namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>A file the worker produced for a job, as operators see it: where it is and its hash, never its content.</summary>
internal sealed record JobArtifactView(string Kind, string StorageClass, string RelativePath, long SizeBytes, string Sha256);
