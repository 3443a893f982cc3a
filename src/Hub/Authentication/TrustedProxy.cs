namespace LxAnnotate.Hub.Authentication;

/// <summary>Whether a request came through the TLS-terminating proxy the hub trusts (<c>LXA_HUB_TRUSTED_PROXIES</c>).</summary>
internal static class TrustedProxy
{
    /// <summary>The connection's peer is one of the trusted proxy addresses (IPv4-mapped IPv6 included).</summary>
    public static bool IsFrom(HttpContext context, NodeCertificateOptions settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var remote = context.Connection.RemoteIpAddress;
        return remote is not null && settings.TrustedProxies.Any(p => p.Equals(remote) || p.Equals(remote.MapToIPv4()));
    }

    /// <summary>The request reached the proxy over TLS: a trusted peer that sent <c>X-Forwarded-Proto: https</c>.</summary>
    public static bool ForwardedHttps(HttpContext context, NodeCertificateOptions settings) =>
        IsFrom(context, settings)
        && string.Equals(context.Request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase);
}
