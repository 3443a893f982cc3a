using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.ProtectedMedia;
using LxAnnotate.Hub.PythonEraTransfers;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// Every feature's options of <c>lxa-hub serve</c>, resolved from one environment in the order
/// <see cref="HubServer.AddHubServices"/> resolves them, without building a host.
/// </summary>
internal sealed record ResolvedFeatureOptions(
    NodeCertificateOptions NodeCertificates,
    ListenerOptions Listeners,
    ApiAuthenticationOptions Authentication,
    LoggingOptions Logging,
    TransferOptions Transfer,
    HubTransferOptions HubTransfers,
    UploadOptions Upload,
    ProtectedMediaOptions Media)
{
    public static ResolvedFeatureOptions Resolve(Func<string, string?> lookup, LxaRuntimeSettings runtime)
    {
        var services = new ServiceCollection();
        var environment = new HubEnvironment(lookup);
        var nodeCertificates = NodeCertificateOptionsResolver.Resolve(environment, runtime.Role);
        var listeners = ListenerOptionsResolver.Resolve(environment, runtime, nodeCertificates);
        var authentication = ApiAuthenticationOptionsResolver.Resolve(environment, runtime.Role);
        var logging = HubLogging.Resolve(environment);
        var transfer = TransferOptionsResolver.Resolve(environment);
        return new ResolvedFeatureOptions(
            nodeCertificates,
            listeners,
            authentication,
            logging,
            transfer,
            services.AddHubTransfers(environment, runtime.Role, transfer.RecipientKeys),
            services.AddUploadOptions(environment),
            services.AddProtectedMedia(environment, runtime.Role));
    }
}
