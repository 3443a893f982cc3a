namespace LxAnnotate.Node.Files;

/// <summary>
/// Identity and state of a file as <c>lstat</c> sees it. A file is ready once this stays equal for
/// <c>StableAfter</c>: a writer that appends changes size and mtime, and a writer that replaces the
/// file under the same name changes the inode.
/// </summary>
internal readonly record struct FileSignature(ulong Device, ulong Inode, ulong Size, long MtimeSeconds, uint MtimeNanoseconds);
