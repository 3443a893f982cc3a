namespace LxAnnotate.Hub.DataDirectory;

/// <summary>What a <see cref="DataDirEntry"/> is.</summary>
internal enum DataDirEntryKind
{
    Directory,
    File,
    SymbolicLink,
}
