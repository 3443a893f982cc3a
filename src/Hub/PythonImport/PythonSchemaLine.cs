namespace LxAnnotate.Hub.PythonImport;

/// <summary>The endoreg-db schema lines the import reads.</summary>
internal enum PythonSchemaLine
{
    /// <summary>endoreg-db 0.7: one initial migration; upload jobs name no center.</summary>
    V07,

    /// <summary>endoreg-db 1.0.x (lx-annotate pins 1.0.6.3): upload jobs carry source_center, content_hash, idempotency_key.</summary>
    V10,
}
