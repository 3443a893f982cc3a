using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>The anonymized PDF could not be produced or failed its check (it still has a text layer). Nothing may be released.</summary>
internal sealed class ReportRedactionException(string message, Exception? inner = null) : MediaIntegrityException(message, inner);
