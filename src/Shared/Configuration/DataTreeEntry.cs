namespace LxAnnotate.Shared.Configuration;

/// <summary>One directory of the protected runtime tree and the loosest mode it may have.</summary>
/// <param name="Name">Stable name used in findings and JSON (<c>storage</c>, <c>import/video_import</c>).</param>
/// <param name="Path">Absolute path as configured.</param>
/// <param name="Mode">Documented mode: created with it, and reported when an existing directory is looser.</param>
/// <param name="Kind">What the directory is for; decides which checks apply.</param>
public sealed record DataTreeEntry(string Name, string Path, UnixFileMode Mode, DataTreeEntryKind Kind);
