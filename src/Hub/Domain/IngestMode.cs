namespace LxAnnotate.Hub.Domain;

/// <summary>The boundary an artifact entered through.</summary>
public enum IngestMode
{
    Api,
    Watcher,
    Transfer,
}
