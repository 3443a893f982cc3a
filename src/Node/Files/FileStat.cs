namespace LxAnnotate.Node.Files;

/// <summary>One <c>lstat</c> of a drop-folder entry.</summary>
internal readonly record struct FileStat(FileKind Kind, FileSignature Signature);
