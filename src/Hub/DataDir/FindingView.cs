namespace LxAnnotate.Hub.DataDir;

/// <summary>One finding as JSON (<c>severity</c> is <c>CRITICAL</c>, <c>WARNING</c> or <c>OK</c>).</summary>
internal sealed record FindingView(string Severity, string Check, string Name, string Path, string Message);
