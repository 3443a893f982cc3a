namespace LxAnnotate.Hub.Ingest;

public enum CallerKind
{
    /// <summary>No authentication (standalone with <c>ENFORCE_AUTH=0</c> only).</summary>
    Anonymous,

    /// <summary>A person or service authenticated by a bearer token, scoped to a set of centers.</summary>
    User,

    /// <summary>A network node authenticated by its client certificate, bound to one center.</summary>
    Node,

    /// <summary>The trusted local drop zone (watcher on the same host, local socket).</summary>
    LocalWatcher,
}
