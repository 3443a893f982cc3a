namespace LxAnnotate.Node.SapImport;

/// <summary>
/// The archive was refused or could not be converted. The message names the entry, row or setting at
/// fault and never a cell value.
/// </summary>
internal sealed class SapImportException(string message, Exception? inner = null) : Exception(message, inner);
