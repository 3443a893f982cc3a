namespace LxAnnotate.Hub.Domain;

public sealed class ProvenanceSchemaException(string message) : Exception(message);
