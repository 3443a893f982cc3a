namespace LxAnnotate.Node.Files;

/// <summary>What a directory entry is, read without following links.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>FIFO, socket, character or block device: never opened, never taken.</summary>
    Special,
}
