using System.Runtime.InteropServices;

namespace LxAnnotate.Node.Hosting;

/// <summary>
/// Keeps the process from reading the system's trust store, which the node never uses: its only TLS peer is its hub,
/// verified against the configured hub CA alone (<see cref="Sync.HubConnection.HubTlsOptions"/>).
/// </summary>
/// <remarks>
/// .NET on Linux loads every certificate of the system store (the bundle and each file under /etc/ssl/certs) the first
/// time a process builds an X.509 chain, custom root trust or not, and every TLS handshake builds one. That load took
/// about 60 ms of each <c>lxa-node push</c> (docs/performance.md, "The system trust store"). .NET finds the store through
/// OpenSSL's <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>, read from the native environment; pointing both at /dev/null
/// (neither a certificate file nor a directory) for this process leaves the store empty. They are overwritten, not only
/// set when missing: nothing the node trusts depends on them. Runs as the first statement of the program, before anything
/// touches X.509 and before the node's own threads start; the node starts no child processes that could inherit them.
/// </remarks>
internal static partial class SystemTrustStore
{
    private const string NoStore = "/dev/null";

    public static void Skip()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        _ = SetEnv("SSL_CERT_FILE", NoStore, overwrite: 1);
        _ = SetEnv("SSL_CERT_DIR", NoStore, overwrite: 1);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
