namespace LxAnnotate.Hub.DataDir;

/// <summary>One entry of a data directory, relative to its root.</summary>
/// <param name="LinkTarget">For a symbolic link: where it points (copied as a link, never followed).</param>
internal sealed record DataDirEntry(string RelativePath, DataDirEntryKind Kind, long Size, string? LinkTarget);
