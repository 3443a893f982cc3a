namespace LxAnnotate.Shared.Domain;

public sealed class ProvenanceSchemaException(string message) : Exception(message);
