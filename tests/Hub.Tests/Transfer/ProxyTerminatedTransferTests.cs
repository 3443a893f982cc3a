using Grpc.Core;
using Grpc.Net.Client;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>nginx terminates TLS and forwards the client certificate; the hub believes it only when attested.</summary>
public sealed class ProxyTerminatedTransferTests
{
    private const string MetaKey = "X-LXA-MTLS-Verified";
    private const string MetaValue = "proxy-attests-0b7e";

    [Theory]
    [InlineData("attested", null)]
    [InlineData("no-attestation", "Unauthenticated")]
    [InlineData("wrong-attestation", "Unauthenticated")]
    [InlineData("no-forwarded-proto", "Unauthenticated")]
    [InlineData("untrusted-proxy", "Unauthenticated")]
    [InlineData("no-certificate", "Unauthenticated")]
    public async Task Offer_ThroughProxy_AcceptedOnlyWhenAttested(string scenario, string? expectedError)
    {
        var port = TestSupport.FreePort.Next();
        await using var hub = await TransferHub.StartAsync(extra: new Dictionary<string, string?>
        {
            ["LXA_HUB_TRANSFER_URL"] = $"http://127.0.0.1:{port}",
            ["LXA_HUB_TRUSTED_PROXIES"] = scenario == "untrusted-proxy" ? "192.0.2.10" : "127.0.0.1",
            ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = MetaKey,
            ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = MetaValue,
            ["ENDOREG_HUB_TRANSFER_REQUIRE_SECURE_TRANSPORT"] = "true",
        });
        await hub.AddCenterAsync("center-a");
        var certificate = await hub.AddNodeAsync("node-a", "center-a");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new ProtoTransfer.TransferClient(channel);
        var headers = new Metadata();
        if (scenario != "no-certificate")
        {
            headers.Add("x-ssl-client-cert", Uri.EscapeDataString(certificate.ExportCertificatePem()));
        }

        if (scenario != "no-forwarded-proto")
        {
            headers.Add("x-forwarded-proto", "https");
        }

        if (scenario != "no-attestation")
        {
            headers.Add(MetaKey.ToLowerInvariant(), scenario == "wrong-attestation" ? "guess" : MetaValue);
        }

        var call = client.OfferAsync(OfferFor([1, 2, 3]), headers, DateTime.UtcNow.AddSeconds(30));

        if (expectedError is null)
        {
            var reply = await call;
            Assert.Equal(OfferReply.ResultOneofCase.Transfer, reply.ResultCase);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(expectedError, ex.StatusCode.ToString());
        }
    }
}
