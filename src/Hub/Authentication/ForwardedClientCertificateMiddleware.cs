using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Hosting;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// Proxy-terminated mTLS (nginx in front, as the original deployment): on a plain-HTTP transfer
/// listener, the client certificate forwarded in a header is believed only from a trusted proxy address,
/// only with the attestation header value, and (when required) only with <c>X-Forwarded-Proto: https</c>.
/// Anything else leaves the connection without a certificate, so the caller is not authenticated.
/// </summary>
internal sealed class ForwardedClientCertificateMiddleware(RequestDelegate next, NodeCertificateOptions settings)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetListener() == ListenerKind.Transfer && !context.Request.IsHttps && IsAttestedProxy(context))
        {
            var header = context.Request.Headers[settings.ForwardedCertificateHeader].ToString();
            if (header.Length > 0)
            {
                try
                {
                    // nginx's $ssl_client_escaped_cert: URL-encoded PEM. The proxy terminated TLS, so the
                    // request counts as HTTPS (the certificate handler reads certificates only there).
                    context.Connection.ClientCertificate = X509Certificate2.CreateFromPem(Uri.UnescapeDataString(header));
                    context.Request.Scheme = Uri.UriSchemeHttps;
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    context.Connection.ClientCertificate = null;
                }
            }
        }

        return next(context);
    }

    private bool IsAttestedProxy(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || settings.MtlsMetaKey is null || !settings.TrustedProxies.Any(p => p.Equals(remote) || p.Equals(remote.MapToIPv4())))
        {
            return false;
        }

        var attested = System.Text.Encoding.UTF8.GetBytes(context.Request.Headers[settings.MtlsMetaKey].ToString());
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(attested, System.Text.Encoding.UTF8.GetBytes(settings.MtlsMetaValue!)))
        {
            return false;
        }

        return !settings.RequireSecureTransport
            || string.Equals(context.Request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase);
    }
}
