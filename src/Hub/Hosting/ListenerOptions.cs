namespace LxAnnotate.Hub.Hosting;

/// <summary>What <c>lxa-hub serve</c> listens on; bound from the variables named here by <see cref="ListenerOptionsResolver"/>.</summary>
internal sealed record ListenerOptions
{
    public const string ApiUrlVariable = "LXA_HUB_API_URL";
    public const string TransferUrlVariable = "LXA_HUB_TRANSFER_URL";
    public const string LocalSocketVariable = "LXA_HUB_LOCAL_SOCKET";
    public const string TlsCertificateFileVariable = "LXA_HUB_TLS_CERT_FILE";
    public const string TlsKeyFileVariable = "LXA_HUB_TLS_KEY_FILE";

    /// <summary>The original's listen address (its unit runs <c>daphne -b ${DJANGO_HOST} -p ${DJANGO_PORT}</c>); used when <see cref="ApiUrlVariable"/> is unset.</summary>
    public const string DjangoHostVariable = "DJANGO_HOST";
    public const string DjangoPortVariable = "DJANGO_PORT";
    public const string DjangoDefaultHost = "127.0.0.1";
    public const string DjangoDefaultPort = "8000";

    /// <summary>REST gateway and health; http or https.</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>gRPC transfer receiver; null when off (standalone only).</summary>
    public Uri? TransferUrl { get; init; }

    /// <summary>Unix socket for the trusted local drop zone; null when off.</summary>
    public string? LocalSocketPath { get; init; }

    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }
}
