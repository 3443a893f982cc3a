namespace LxAnnotate.Hub.DataDir;

/// <summary>What a <see cref="DataDirEntry"/> is.</summary>
internal enum DataDirEntryKind
{
    Directory,
    File,
    SymbolicLink,
}
