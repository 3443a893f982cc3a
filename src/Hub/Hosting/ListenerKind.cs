namespace LxAnnotate.Hub.Hosting;

/// <summary>Which of the hub's listeners a request came in on; decides who the caller can be.</summary>
internal enum ListenerKind
{
    /// <summary>REST gateway and health.</summary>
    Api,

    /// <summary>gRPC transfer receiver for network nodes (mTLS, or an attesting proxy).</summary>
    Transfer,

    /// <summary>Unix socket of the trusted local drop zone.</summary>
    LocalSocket,
}
