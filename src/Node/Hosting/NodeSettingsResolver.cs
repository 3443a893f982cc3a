using System.Globalization;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Hosting;

/// <summary>Reads the node's variables; every problem is one line naming the variable.</summary>
internal static partial class NodeSettingsResolver
{
    /// <param name="enrolling">
    /// For <c>lxa-node enroll</c>: the certificate and key it is about to create need not exist yet, and a
    /// site node without them is not an error.
    /// </param>
    public static NodeSettings Resolve(Func<string, string?> lookup, LxaRuntimeSettings runtime, bool enrolling = false)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(runtime);

        string? Read(string name) => lookup(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var (hubUrl, certificate, key, hubCa, nodeKey) = HubLink(Read, runtime, enrolling);
        var retention = Read("LXA_NODE_RETENTION") ?? "delete_after_success";
        if (retention is not ("delete_after_success" or "preserve_source"))
        {
            throw new ConfigurationContractException("LXA_NODE_RETENTION", "must be delete_after_success or preserve_source");
        }

        var socket = Read("LXA_NODE_HUB_SOCKET") ?? Path.Combine(runtime.Paths.RunDir, "hub.sock");
        if (!Path.IsPathFullyQualified(socket))
        {
            throw new ConfigurationContractException("LXA_NODE_HUB_SOCKET", "must be an absolute path");
        }

        var (sapCenter, sapSourceSystem, sapLimits) = SapImportSettings(Read);
        var nodeDir = Path.Combine(runtime.Paths.Root, "node");
        return new NodeSettings
        {
            HubUrl = hubUrl,
            HubSocketPath = socket,
            NodeKey = nodeKey,
            CertificateFile = certificate,
            KeyFile = key,
            HubCaFile = hubCa,
            OutboxDir = Path.Combine(nodeDir, "outbox"),
            OutboxDatabase = Path.Combine(nodeDir, "outbox.sqlite3"),
            StableAfter = TimeSpan.FromSeconds(Number(Read, "WATCHER_STABLE_AFTER_SECONDS", 10, min: 0)),
            PollInterval = TimeSpan.FromSeconds(Number(Read, "WATCHER_POLL_INTERVAL_SECONDS", 5, min: 1)),
            SidecarWait = TimeSpan.FromSeconds(Number(Read, "WATCHER_SIDECAR_WAIT_SECONDS", 300, min: 0)),
            SyncConcurrency = (int)Number(Read, "LXA_NODE_SYNC_CONCURRENCY", 2, min: 1, max: 64),
            DeleteAfterSuccess = retention == "delete_after_success",
            SourceSystem = Read("LXA_NODE_SOURCE_SYSTEM") ?? "lxa-node",
            SapImportLimits = sapLimits,
            SapImportSourceSystem = sapSourceSystem,
            SapImportCenterKey = sapCenter,
            SapImportCenterName = Read("LXA_SAP_IMPORT_CENTER_NAME"),
            ExportRecipientPublicKey = RecipientPublicKey(Read("LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE")),
        };
    }

    /// <summary>The hub URL, the mutual-TLS files and the node key, checked together.</summary>
    private static (Uri? HubUrl, string? Certificate, string? Key, string? HubCa, string? NodeKey) HubLink(
        Func<string, string?> read, LxaRuntimeSettings runtime, bool enrolling)
    {
        Uri? hubUrl = null;
        if (read("LXA_NODE_HUB_URL") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out hubUrl) || hubUrl.Scheme != Uri.UriSchemeHttps)
            {
                // Plaintext to a remote hub is refused outright: patient data crosses this link.
                throw new ConfigurationContractException("LXA_NODE_HUB_URL", "must be an https:// URL (mutual TLS); plaintext is refused");
            }
        }

        var certificate = enrolling ? read("LXA_NODE_CERT_FILE") : ExistingFile(read, "LXA_NODE_CERT_FILE");
        var key = enrolling ? read("LXA_NODE_KEY_FILE") : ExistingFile(read, "LXA_NODE_KEY_FILE");
        var hubCa = ExistingFile(read, "LXA_NODE_HUB_CA_FILE");
        var nodeKey = read("LXA_NODE_KEY");
        if (nodeKey is not null && !NodeKeys.IsValid(nodeKey))
        {
            throw new ConfigurationContractException("LXA_NODE_KEY", "must be 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }

        if (!enrolling && hubUrl is not null && (certificate is null || key is null || hubCa is null))
        {
            var missing = certificate is null ? "LXA_NODE_CERT_FILE" : key is null ? "LXA_NODE_KEY_FILE" : "LXA_NODE_HUB_CA_FILE";
            throw new ConfigurationContractException(missing, "a remote hub (LXA_NODE_HUB_URL) needs LXA_NODE_CERT_FILE, LXA_NODE_KEY_FILE and LXA_NODE_HUB_CA_FILE");
        }

        if (!enrolling && runtime.Role == DeploymentRole.SiteNode && hubUrl is null)
        {
            throw new ConfigurationContractException("LXA_NODE_HUB_URL", "a site_node sends to a remote hub: set LXA_NODE_HUB_URL=https://…");
        }

        return (hubUrl, certificate, key, hubCa, nodeKey);
    }

    private static (string? CenterKey, string SourceSystem, SapImport.ArchiveLimits Limits) SapImportSettings(Func<string, string?> read)
    {
        var sapCenter = read("LXA_SAP_IMPORT_CENTER_KEY");
        if (sapCenter is not null && !CenterKeys.IsValid(sapCenter))
        {
            throw new ConfigurationContractException("LXA_SAP_IMPORT_CENTER_KEY", "must be a valid center key ([a-z0-9][a-z0-9_-]{0,63})");
        }

        var sapSourceSystem = read("LXA_SAP_IMPORT_SOURCE_SYSTEM") ?? "sap_ish";
        if (!SourceSystemPattern().IsMatch(sapSourceSystem))
        {
            throw new ConfigurationContractException("LXA_SAP_IMPORT_SOURCE_SYSTEM", "must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
        }

        var sapLimits = new SapImport.ArchiveLimits(
            (int)Number(read, "LXA_SAP_IMPORT_MAX_ENTRIES", 10_000, min: 1, max: int.MaxValue),
            (long)Number(read, "LXA_SAP_IMPORT_MAX_UNCOMPRESSED_BYTES", 4L * 1024 * 1024 * 1024, min: 1),
            Number(read, "LXA_SAP_IMPORT_MAX_COMPRESSION_RATIO", 100, min: 1));
        return (sapCenter, sapSourceSystem, sapLimits);
    }

    private static string? ExistingFile(Func<string, string?> read, string name)
    {
        var value = read(name);
        return value is null || File.Exists(value)
            ? value
            : throw new ConfigurationContractException(name, $"file '{value}' does not exist or is not readable");
    }

    private static double Number(Func<string, string?> read, string name, double fallback, double min, double max = double.MaxValue)
    {
        var value = read(name);
        if (value is null)
        {
            return fallback;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ConfigurationContractException(name, string.Create(CultureInfo.InvariantCulture, $"must be a number from {min} to {max}"));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SourceSystemPattern();

    private static Org.BouncyCastle.Crypto.Parameters.X25519PublicKeyParameters? RecipientPublicKey(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        try
        {
            return LxAnnotate.Shared.Envelope.X25519Keys.ReadPublicKeyPem(File.ReadAllText(file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new ConfigurationContractException(
                "LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE",
                $"file '{file}' is not a readable PEM X25519 public key (as 'lxa-hub transfer-keys generate' writes it)");
        }
    }
}
