namespace LxAnnotate.Node.Outbox;

/// <summary>A file that must go to quarantine; the message says why and is safe to write into the reason file.</summary>
internal sealed class ArtifactRefusedException(string message) : Exception(message);
