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
/// Transport and identity of a hub transfer request, checked in this order, each failure a 403:
/// HTTPS (directly, or <c>X-Forwarded-Proto: https</c> from a trusted proxy); a node client certificate
/// (Kestrel mTLS, or the certificate a trusted proxy forwards with the attestation header); the headers
/// <c>X-Network-Node-Key</c> / <c>X-Network-Node-Secret</c>, the secret checked against the node's stored
/// PBKDF2 hash. The certificate and the headers must name the same active node.
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

        await RequireCertificateAsync(context, settings);
        var (certificateNode, thumbprint) = await AuthenticateCertificateAsync(context, settings);
        var (nodeKey, centerKey) = await AuthenticateHeadersAsync(context.Request, db, context.RequestAborted);
        if (!string.Equals(certificateNode, nodeKey, StringComparison.Ordinal))
        {
            throw Forbidden("The client certificate belongs to a different node than X-Network-Node-Key.");
        }

        return new HubTransferCaller(nodeKey, centerKey, thumbprint);
    }

    /// <summary>The client certificate of the TLS connection or, from a trusted proxy that attests it, the forwarded one.</summary>
    private static async Task RequireCertificateAsync(HttpContext context, NodeCertificateOptions settings)
    {
        var request = context.Request;
        var certificate = request.IsHttps ? await context.Connection.GetClientCertificateAsync(context.RequestAborted) : null;
        if (certificate is null && TrustedProxy.IsFrom(context, settings) && IsAttested(context, settings))
        {
            certificate = ForwardedCertificate(context, settings);
            if (certificate is not null)
            {
                // The proxy terminated TLS; the certificate handler reads certificates of HTTPS requests only.
                context.Connection.ClientCertificate = certificate;
                request.Scheme = Uri.UriSchemeHttps;
            }
        }

        if (certificate is null)
        {
            throw Forbidden("A verified client certificate is required for hub transfers.");
        }

        if (settings.NodeCaFile is null)
        {
            throw Forbidden("Client certificates are not configured on this hub (LXA_HUB_NODE_CA_FILE).");
        }
    }

    /// <summary>The node key and thumbprint of a certificate the node certificate handler accepts.</summary>
    private static async Task<(string NodeKey, string Thumbprint)> AuthenticateCertificateAsync(HttpContext context, NodeCertificateOptions settings)
    {
        var result = await context.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
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
            return null;
        }
    }

    private static HubTransferRefusal Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);
}
