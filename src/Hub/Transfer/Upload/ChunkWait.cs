namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>How a wait for the next chunk of an Upload call ended.</summary>
internal enum ChunkWait
{
    Chunk,
    End,
    NotAuthorized,
}
