using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// Transport and identity of a hub transfer request, checked in this order, each failure a 403 (a database outage
/// during the certificate lookup is a 503, which the sender retries):
/// HTTPS (directly, or <c>X-Forwarded-Proto: https</c> from a trusted proxy); a verified client certificate
/// (Kestrel mTLS, or the attestation header of a trusted proxy); the headers <c>X-Network-Node-Key</c> /
/// <c>X-Network-Node-Secret</c>, the secret checked against the node's stored PBKDF2 hash. Whenever a
/// certificate is there (the TLS connection's, or one the attesting proxy forwards) it must be valid for this hub
/// and name the same active node as the headers. An attesting proxy that forwards no certificate (nginx
/// configured as the original deployment, which only says <c>X-Client-Cert-Verified: SUCCESS</c>) is accepted
/// with the node secret alone, as the original accepted it.
/// </summary>
internal static class HubTransferAuthenticator
{
    public const string NodeKeyHeader = "X-Network-Node-Key";

    public const string NodeSecretHeader = "X-Network-Node-Secret";

    public static async Task<HubTransferCaller> AuthenticateAsync(HttpContext context, NodeCertificateOptions settings, LxaDbContext db)
    {
        var https = context.Request.IsHttps || TrustedProxy.ForwardedHttps(context, settings);
        if (!https)
        {
            throw Forbidden("HTTPS is required for hub transfers.");
        }

        var hasCertificate = await RequireCertificateAsync(context, settings);
        var certificate = hasCertificate ? await AuthenticateCertificateAsync(context, settings) : default;
        var (nodeKey, centerKey) = await AuthenticateHeadersAsync(context.Request, db, context.RequestAborted);
        if (hasCertificate && !string.Equals(certificate.NodeKey, nodeKey, StringComparison.Ordinal))
        {
            throw Forbidden("The client certificate belongs to a different node than X-Network-Node-Key.");
        }

        return new HubTransferCaller(nodeKey, centerKey, hasCertificate ? certificate.Thumbprint : null);
    }

    /// <summary>
    /// The client certificate of the TLS connection or, from a trusted proxy that attests it, the forwarded one;
    /// false when the proxy attests a certificate it does not forward (then the node secret decides alone).
    /// </summary>
    private static async Task<bool> RequireCertificateAsync(HttpContext context, NodeCertificateOptions settings)
    {
        var request = context.Request;
        var certificate = request.IsHttps ? await context.Connection.GetClientCertificateAsync(context.RequestAborted) : null;
        if (certificate is null && TrustedProxy.IsFrom(context, settings) && IsAttested(context, settings))
        {
            certificate = ForwardedCertificate(context, settings);
            if (certificate is null)
            {
                return false;
            }

            // The proxy terminated TLS; the certificate handler reads certificates of HTTPS requests only.
            context.Connection.ClientCertificate = certificate;
            request.Scheme = Uri.UriSchemeHttps;
        }

        if (certificate is null)
        {
            throw Forbidden("A verified client certificate is required for hub transfers.");
        }

        if (settings.NodeCaFile is null)
        {
            throw Forbidden("Client certificates are not configured on this hub (LXA_HUB_NODE_CA_FILE).");
        }

        return true;
    }

    /// <summary>The node key and thumbprint of a certificate the node certificate handler accepts.</summary>
    private static async Task<(string NodeKey, string Thumbprint)> AuthenticateCertificateAsync(HttpContext context, NodeCertificateOptions settings)
    {
        var result = await context.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
        if (result.Failure is { } failure && DbErrors.IsUnavailable(failure))
        {
            // The certificate could not be looked up: an outage the node retries, not a refusal of the node.
            throw new HubTransferRefusal(StatusCodes.Status503ServiceUnavailable, DbErrors.UnavailableMessage);
        }

        if (!result.Succeeded || result.Principal is null)
        {
            throw Forbidden(result.Failure?.Message ?? "The client certificate is not valid for this hub.");
        }

        return (result.Principal.FindFirst(NodeClaimTypes.NodeKey)!.Value, result.Principal.FindFirst(NodeClaimTypes.Thumbprint)!.Value);
    }

    /// <summary>The active node the headers name, with its center, when the secret matches its stored hash.</summary>
    private static async Task<(string NodeKey, string CenterKey)> AuthenticateHeadersAsync(HttpRequest request, LxaDbContext db, CancellationToken cancellationToken)
    {
        var nodeKey = request.Headers[NodeKeyHeader].ToString();
        var secret = request.Headers[NodeSecretHeader].ToString();
        if (nodeKey.Length == 0 || secret.Length == 0)
        {
            throw Forbidden("X-Network-Node-Key and X-Network-Node-Secret are required.");
        }

        var node = await db.NetworkNodes.AsNoTracking()
            .Where(n => n.NodeKey == nodeKey)
            .Select(n => new { n.NodeKey, n.IsActive, n.SecretHash, CenterKey = n.OwningCenter!.CenterKey })
            .FirstOrDefaultAsync(cancellationToken);

        // One answer for an unknown node, a node without a secret and a wrong secret.
        if (node is null || !node.IsActive || !NodeSecretHash.Verify(secret, node.SecretHash))
        {
            throw Forbidden("Invalid network node credentials.");
        }

        return (node.NodeKey, node.CenterKey);
    }

    private static bool IsAttested(HttpContext context, NodeCertificateOptions settings)
    {
        if (settings.MtlsMetaKey is null)
        {
            return false;
        }

        var attested = Encoding.UTF8.GetBytes(context.Request.Headers[settings.MtlsMetaKey].ToString());
        return CryptographicOperations.FixedTimeEquals(attested, Encoding.UTF8.GetBytes(settings.MtlsMetaValue!));
    }

    /// <summary>The forwarded certificate; null when none is forwarded. One that cannot be read is refused, never skipped.</summary>
    private static X509Certificate2? ForwardedCertificate(HttpContext context, NodeCertificateOptions settings)
    {
        var header = context.Request.Headers[settings.ForwardedCertificateHeader].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        try
        {
            // nginx's $ssl_client_escaped_cert: URL-encoded PEM.
            return X509Certificate2.CreateFromPem(Uri.UnescapeDataString(header));
        }
        catch (CryptographicException)
        {
            throw Forbidden("The forwarded client certificate cannot be read.");
        }
    }

    private static HubTransferRefusal Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);
}
