using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>The file is not a readable PDF (corrupt, encrypted, too many pages). Maps to <c>media_integrity_failed</c>.</summary>
internal sealed class ReportUnreadableException(string message, Exception? inner = null) : MediaIntegrityException(message, inner);
