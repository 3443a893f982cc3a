using Grpc.Core;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Ingest;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication;

namespace LxAnnotate.Hub.Transfer;

/// <summary>Who is calling the Transfer service, decided by the listener the call came in on.</summary>
internal static class TransferCallerResolver
{
    public static async Task<CallerIdentity> ResolveAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        switch (http.GetListener())
        {
            case ListenerKind.LocalSocket:
                return CallerIdentity.LocalWatcher;

            case ListenerKind.Transfer:
                var result = await http.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
                if (result.Failure is { } failure && DbErrors.IsUnavailable(failure))
                {
                    // The certificate may be fine: the hub could not look it up. A node retries UNAVAILABLE.
                    throw new RpcException(new Status(StatusCode.Unavailable,
                        "The hub cannot check the client certificate now: its database is unavailable. Try again later."));
                }

                if (!result.Succeeded || result.Principal is null)
                {
                    var reason = result.Failure?.Message ?? "A valid node client certificate is required.";
                    throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
                }

                var principal = result.Principal;
                return CallerIdentity.ForNode(
                    principal.FindFirst(NodeClaimTypes.NodeKey)!.Value,
                    principal.FindFirst(NodeClaimTypes.CenterKey)!.Value,
                    principal.FindFirst(NodeClaimTypes.Thumbprint)!.Value);

            default:
                throw new RpcException(new Status(StatusCode.PermissionDenied, "Transfers are served on the transfer listener and the local socket only."));
        }
    }
}
