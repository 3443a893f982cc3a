namespace LxAnnotate.Shared.Configuration;

public enum DataTreeEntryKind
{
    /// <summary>The protected root itself.</summary>
    Root,

    /// <summary><c>STORAGE_DIR</c> and the directories the ingest core moves files between.</summary>
    Storage,

    /// <summary>Service-private directories (<c>run/</c>, <c>logs/</c>, <c>quarantine/</c>).</summary>
    Service,

    /// <summary>The import root and the drop folders under it.</summary>
    Import,
}
