namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The view-data keys a page sets for the shared layout.</summary>
internal static class ConsoleLayout
{
    /// <summary>True on a page with transfer rows for the live script (<c>tr.in-flight[data-transfer]</c>): the layout then loads it.</summary>
    public const string LiveProgress = "LxaLiveProgress";
}
