using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// Reads the hub's own variables. Like the shared contract, every problem is one
/// <see cref="ConfigurationContractException"/> naming the variable, never a value that could be secret.
/// </summary>
internal static class HubSettingsResolver
{
    private const long MaxCertificateDays = 3650;

    public static HubSettings Resolve(Func<string, string?> lookup, LxaRuntimeSettings runtime)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(runtime);

        string? Read(string name) => lookup(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var hub = runtime.Role == DeploymentRole.CentralHub;
        if (runtime.Role == DeploymentRole.SiteNode)
        {
            throw new ConfigurationContractException("ENDOREG_DEPLOYMENT_ROLE", "lxa-hub serve runs as standalone or central_hub, not site_node");
        }

        var requireMtls = Bool(Read, "ENDOREG_HUB_TRANSFER_REQUIRE_MTLS", true);
        if (hub && !requireMtls)
        {
            throw new ConfigurationContractException("ENDOREG_HUB_TRANSFER_REQUIRE_MTLS", "central_hub refuses to start without mutual TLS for transfers");
        }

        var apiUrl = Url(Read, "LXA_HUB_API_URL", "https://0.0.0.0:8443")!;
        var transferUrl = Url(Read, "LXA_HUB_TRANSFER_URL", hub ? "https://0.0.0.0:8444" : null);
        var metaKey = Read("ENDOREG_HUB_TRANSFER_MTLS_META_KEY");
        var metaValue = Read("ENDOREG_HUB_TRANSFER_MTLS_META_VALUE");
        if ((metaKey is null) != (metaValue is null))
        {
            throw new ConfigurationContractException(
                metaKey is null ? "ENDOREG_HUB_TRANSFER_MTLS_META_KEY" : "ENDOREG_HUB_TRANSFER_MTLS_META_VALUE",
                "set both ENDOREG_HUB_TRANSFER_MTLS_META_KEY and ENDOREG_HUB_TRANSFER_MTLS_META_VALUE, or neither");
        }

        var proxies = (Read("LXA_HUB_TRUSTED_PROXIES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => IPAddress.TryParse(p, out var ip)
                ? ip
                : throw new ConfigurationContractException("LXA_HUB_TRUSTED_PROXIES", $"'{p}' is not an IP address"))
            .ToList();

        // A plain-HTTP transfer listener is only acceptable behind a proxy that terminates mTLS and attests it.
        if (transferUrl is { Scheme: "http" } && (metaKey is null || proxies.Count == 0))
        {
            throw new ConfigurationContractException(
                "LXA_HUB_TRANSFER_URL",
                "an http:// transfer listener needs a TLS-terminating proxy: set LXA_HUB_TRUSTED_PROXIES and ENDOREG_HUB_TRANSFER_MTLS_META_KEY/_VALUE");
        }

        var certFile = ExistingFile(Read, "LXA_HUB_TLS_CERT_FILE");
        var keyFile = ExistingFile(Read, "LXA_HUB_TLS_KEY_FILE");
        var needsTls = apiUrl.Scheme == "https" || transferUrl?.Scheme == "https";
        if (needsTls && (certFile is null || keyFile is null))
        {
            throw new ConfigurationContractException(
                certFile is null ? "LXA_HUB_TLS_CERT_FILE" : "LXA_HUB_TLS_KEY_FILE",
                "an https:// listener needs LXA_HUB_TLS_CERT_FILE and LXA_HUB_TLS_KEY_FILE (PEM)");
        }

        var caFile = ExistingFile(Read, "LXA_HUB_NODE_CA_FILE");
        if (transferUrl is not null && caFile is null)
        {
            throw new ConfigurationContractException("LXA_HUB_NODE_CA_FILE", "the transfer listener needs the node CA certificate (PEM)");
        }

        var caKeyFile = ExistingFile(Read, "LXA_HUB_NODE_CA_KEY_FILE");
        if (caKeyFile is not null)
        {
            CheckCaKey(caFile, caKeyFile);
        }

        var certificateDays = Bytes(Read, "LXA_HUB_NODE_CERT_DAYS", 365);
        if (certificateDays > MaxCertificateDays)
        {
            throw new ConfigurationContractException("LXA_HUB_NODE_CERT_DAYS", $"must be at most {MaxCertificateDays}");
        }

        var socket = Read("LXA_HUB_LOCAL_SOCKET") switch
        {
            null => Path.Combine(runtime.Paths.RunDir, "hub.sock"),
            "off" => null,
            var path when Path.IsPathFullyQualified(path) => path,
            _ => throw new ConfigurationContractException("LXA_HUB_LOCAL_SOCKET", "must be an absolute path or 'off'"),
        };

        var enforceAuth = hub || Bool(Read, "ENFORCE_AUTH", false);
        var oidc = ResolveOidc(Read);
        if (enforceAuth && oidc is null)
        {
            throw new ConfigurationContractException(
                "ENFORCE_AUTH",
                hub
                    ? "central_hub requires authentication, but OIDC is not configured (set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL or OIDC_JWKS_FILE)"
                    : "ENFORCE_AUTH=1 but OIDC is not configured (set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL or OIDC_JWKS_FILE)");
        }

        var logFormat = Read("LXA_LOG_FORMAT") ?? "text";
        if (logFormat is not ("text" or "json"))
        {
            throw new ConfigurationContractException("LXA_LOG_FORMAT", "must be 'text' or 'json'");
        }

        var hubTransfers = hub && Bool(Read, "ENDOREG_ENABLE_HUB_TRANSFERS", false);
        var hubNodeKey = Read("LXA_HUB_NODE_KEY") ?? "hub";
        if (!NodeKeys.IsValid(hubNodeKey))
        {
            throw new ConfigurationContractException("LXA_HUB_NODE_KEY", "must be 1 to 64 of a-z, 0-9, '_' and '-'");
        }

        return new HubSettings
        {
            HubTransfersEnabled = hubTransfers,
            HubTransferAllowPlaintextMedia = Bool(Read, "ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA", false),
            HubTransferMaxUploadBytes = Bytes(Read, "ENDOREG_HUB_TRANSFER_MAX_UPLOAD_BYTES", 50L * 1024 * 1024 * 1024),
            HubNodeKey = hubNodeKey,
            RecipientKeys = RecipientKeys(Read),
            RequireEnvelope = Bool(Read, "LX_ANNOTATE_HUB_REQUIRE_ENVELOPE", false),
            ApiUrl = apiUrl,
            TransferUrl = transferUrl,
            LocalSocketPath = socket,
            TlsCertificateFile = certFile,
            TlsKeyFile = keyFile,
            NodeCaFile = caFile,
            NodeCaKeyFile = caKeyFile,
            NodeCertificateDays = (int)certificateDays,
            RequireMtls = requireMtls,
            RequireSecureTransport = Bool(Read, "ENDOREG_HUB_TRANSFER_REQUIRE_SECURE_TRANSPORT", true),
            MtlsMetaKey = metaKey,
            MtlsMetaValue = metaValue,
            TrustedProxies = proxies,
            ForwardedCertificateHeader = Read("LXA_HUB_FORWARDED_CERT_HEADER") ?? "X-SSL-Client-Cert",
            UploadMaxBytes = Bytes(Read, "LXA_HUB_UPLOAD_MAX_BYTES", 1024L * 1024 * 1024),
            TransferMaxBytes = Bytes(Read, "LXA_HUB_TRANSFER_MAX_BYTES", 50L * 1024 * 1024 * 1024),
            TransferCheckpointBytes = Bytes(Read, "LXA_HUB_TRANSFER_CHECKPOINT_BYTES", 8L * 1024 * 1024),
            TransferExpireAfter = TimeSpan.FromHours(Bytes(Read, "LXA_HUB_TRANSFER_EXPIRE_HOURS", 24)),
            JsonLogs = logFormat == "json",
            EnforceAuth = enforceAuth,
            Oidc = oidc,
            MediaAccelRedirect = Bool(Read, "LX_ANNOTATE_MEDIA_ACCEL_REDIRECT", hub),
        };
    }

    /// <summary>
    /// The key must be the CA certificate's own and the certificate a CA: found at start, not at the first
    /// enrollment. The messages name files, never key material.
    /// </summary>
    private static void CheckCaKey(string? caFile, string caKeyFile)
    {
        if (caFile is null)
        {
            throw new ConfigurationContractException("LXA_HUB_NODE_CA_KEY_FILE", "needs LXA_HUB_NODE_CA_FILE, the certificate of the node CA whose key it is");
        }

        try
        {
            using var ca = X509Certificate2.CreateFromPemFile(caFile, caKeyFile);
            if (!ca.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                throw new ConfigurationContractException("LXA_HUB_NODE_CA_FILE", $"file '{caFile}' is not a CA certificate, so it cannot sign node certificates");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationContractException(
                "LXA_HUB_NODE_CA_KEY_FILE",
                $"file '{caKeyFile}' is not an unencrypted PEM private key matching the certificate in LXA_HUB_NODE_CA_FILE");
        }
    }

    /// <summary>Envelope recipient keys, checked like any private key file (path, link, owner, mode) at start.</summary>
    private static RecipientKeyRing RecipientKeys(Func<string, string?> read)
    {
        var files = (read("ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES") ?? "")
            .Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var requireRoot = Bool(read, "ENDOREG_HUB_TRANSFER_REQUIRE_ROOT_OWNED_PRIVATE_KEYS", true);
        try
        {
            return RecipientKeyRing.Load(files, requireRoot);
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationContractException("ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES", ex.Message);
        }
    }

    private static OidcSettings? ResolveOidc(Func<string, string?> read)
    {
        var issuer = read("OIDC_ISSUER");
        var audience = read("OIDC_AUDIENCE");
        var jwksUrl = Url(read, "OIDC_JWKS_URL", null);
        var jwksFile = ExistingFile(read, "OIDC_JWKS_FILE");
        if (issuer is null && audience is null && jwksUrl is null && jwksFile is null)
        {
            return null;
        }

        if (issuer is null || audience is null)
        {
            throw new ConfigurationContractException(issuer is null ? "OIDC_ISSUER" : "OIDC_AUDIENCE", "OIDC needs both OIDC_ISSUER and OIDC_AUDIENCE");
        }

        if (jwksUrl is null && jwksFile is null)
        {
            throw new ConfigurationContractException("OIDC_JWKS_URL", "OIDC needs OIDC_JWKS_URL or OIDC_JWKS_FILE for the signing keys");
        }

        if (jwksUrl is { Scheme: not "https" })
        {
            throw new ConfigurationContractException("OIDC_JWKS_URL", "must be an https:// URL");
        }

        return new OidcSettings
        {
            Issuer = issuer,
            Audience = audience,
            JwksUrl = jwksUrl,
            JwksFile = jwksFile,
            CenterClaim = read("OIDC_CENTER_CLAIM") ?? "center_keys",
        };
    }

    private static Uri? Url(Func<string, string?> read, string name, string? fallback)
    {
        var value = read(name) ?? fallback;
        if (value is null || value == "off")
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !value.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigurationContractException(name, "must be an http:// or https:// URL with host and port (or 'off')");
        }

        return uri;
    }

    private static string? ExistingFile(Func<string, string?> read, string name)
    {
        var value = read(name);
        if (value is null)
        {
            return null;
        }

        return File.Exists(value) ? value : throw new ConfigurationContractException(name, $"file '{value}' does not exist or is not readable");
    }

    private static bool Bool(Func<string, string?> read, string name, bool fallback) => read(name)?.ToLowerInvariant() switch
    {
        null => fallback,
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new ConfigurationContractException(name, "must be true/false (or 1/0)"),
    };

    private static long Bytes(Func<string, string?> read, string name, long fallback)
    {
        var value = read(name);
        if (value is null)
        {
            return fallback;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new ConfigurationContractException(name, "must be a positive whole number");
    }
}
