namespace LxAnnotate.Hub.DataDir;

/// <summary>One line of <c>lxa-hub check</c>.</summary>
/// <param name="Severity">OK, warning or critical.</param>
/// <param name="Check">What was checked: <c>directory</c>, <c>mode</c>, <c>inside_root</c>, <c>same_filesystem</c>, <c>service_user</c>.</param>
/// <param name="Name">Entry of the data tree (<c>storage</c>, <c>import/video_import</c>), or the pair compared.</param>
/// <param name="Path">The path concerned.</param>
/// <param name="Message">What was found, and for a problem what to do.</param>
internal sealed record DataTreeFinding(FindingSeverity Severity, string Check, string Name, string Path, string Message)
{
    public string SeverityText => Severity switch
    {
        FindingSeverity.Critical => "CRITICAL",
        FindingSeverity.Warning => "WARNING",
        _ => "OK",
    };

    /// <summary>The text line: <c>SEVERITY check name path: message</c>.</summary>
    public override string ToString() => $"{SeverityText,-8} {Check} {Name} {Path}: {Message}";
}
