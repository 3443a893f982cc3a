namespace LxAnnotate.Hub.DataDir;

/// <summary>A data-directory migration that was refused or failed; the message is one line for the operator.</summary>
internal sealed class DataDirMigrationException(string message, Exception? inner = null) : Exception(message, inner);
