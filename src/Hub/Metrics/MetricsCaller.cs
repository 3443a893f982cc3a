using Grpc.Core;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// The center label of a transfer call: the center of the node's certificate (as the database registered it), the
/// local socket's <see cref="HubMetrics.LocalCenter"/>, or <see cref="HubMetrics.UnknownCenter"/>. Asked after the
/// call, so the authentication handler answers from the result it already has for this request.
/// </summary>
internal static class MetricsCaller
{
    public static async Task<string> CenterLabelAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        switch (http.GetListener())
        {
            case ListenerKind.LocalSocket:
                return HubMetrics.LocalCenter;
            case ListenerKind.Transfer:
                try
                {
                    var result = await http.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
                    return result.Succeeded ? result.Principal?.FindFirst(NodeClaimTypes.CenterKey)?.Value ?? HubMetrics.UnknownCenter : HubMetrics.UnknownCenter;
                }
                catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
                {
                    return HubMetrics.UnknownCenter;
                }

            default:
                return HubMetrics.UnknownCenter;
        }
    }
}
