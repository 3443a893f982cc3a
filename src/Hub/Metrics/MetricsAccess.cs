using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// Who may scrape: with a token configured, whoever sends it as a bearer token; without one, only a direct
/// connection from the host itself. A request that came through a proxy (it carries forwarding headers) is
/// not local, so nginx in front of the API never opens <c>/metrics</c> to the network.
/// </summary>
internal static class MetricsAccess
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    public static bool IsAllowed(HttpContext context, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Token is { } token)
        {
            var header = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
        }

        var remote = context.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote) && !ForwardingHeaders.Any(h => context.Request.Headers.ContainsKey(h));
    }
}
