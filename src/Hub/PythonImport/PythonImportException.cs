namespace LxAnnotate.Hub.PythonImport;

/// <summary>The import cannot start (bad URL, unknown schema version); the message is the one line the operator sees.</summary>
internal sealed class PythonImportException(string message) : Exception(message);
