using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Shared.Protos.V1;
using ProtoEnrollment = LxAnnotate.Shared.Protos.V1.Enrollment;

namespace LxAnnotate.Hub.Enrollment;

/// <summary>
/// The gRPC boundary of <see cref="EnrollmentService"/>. Enroll: on the API listener over TLS (the token is the
/// credential, and must not cross the network in clear text), or, behind the TLS-terminating proxy, on a
/// plain-HTTP listener when the call comes from a trusted proxy that received it over TLS (the deploy
/// template's nginx passes only this RPC, on its server that asks for no client certificate, to the hub's
/// h2c transfer upstream). Renew: on the transfer listener (the node's client certificate is the credential).
/// </summary>
internal sealed class EnrollmentGrpcService(EnrollmentService service, NodeCertificateOptions settings) : ProtoEnrollment.EnrollmentBase
{
    public override async Task<EnrollReply> Enroll(EnrollRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var throughProxy = !http.Request.IsHttps && TrustedProxy.ForwardedHttps(http, settings);
        if (http.GetListener() != ListenerKind.Api && !throughProxy)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Enroll is served on the hub's API listener."));
        }

        if (!http.Request.IsHttps && !throughProxy)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "Enroll needs TLS: the hub's API listener must be https://."));
        }

        return await Translate(() => service.EnrollAsync(request.Token, request.CsrPem, context.CancellationToken));
    }

    public override async Task<EnrollReply> Renew(RenewRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetHttpContext().GetListener() != ListenerKind.Transfer)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Renew is served on the hub's transfer listener, with the node's client certificate."));
        }

        // The same identity check as every transfer call: chain to the node CA, registered, active.
        var caller = await TransferCallerResolver.ResolveAsync(context);
        return await Translate(() => service.RenewAsync(caller.Subject!, caller.CertificateThumbprint ?? "", request.CsrPem, context.CancellationToken));
    }

    private static async Task<EnrollReply> Translate(Func<Task<IssuedCertificate>> call)
    {
        IssuedCertificate issued;
        try
        {
            issued = await call();
        }
        catch (EnrollmentException ex)
        {
            throw new RpcException(new Status(ex.Kind switch
            {
                EnrollmentErrorKind.InvalidToken => StatusCode.Unauthenticated,
                EnrollmentErrorKind.InvalidRequest => StatusCode.InvalidArgument,
                EnrollmentErrorKind.WrongNode => StatusCode.PermissionDenied,
                EnrollmentErrorKind.NotConfigured or EnrollmentErrorKind.NotIssuable => StatusCode.FailedPrecondition,
                _ => StatusCode.Internal,
            }, ex.Message));
        }

        return new EnrollReply
        {
            CertificatePem = issued.CertificatePem,
            CaPem = issued.CaPem,
            NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter),
        };
    }
}
