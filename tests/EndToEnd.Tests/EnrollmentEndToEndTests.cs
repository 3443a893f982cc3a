using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// <c>lxa-hub nodes enroll</c> → <c>lxa-node enroll</c> → <c>lxa-node push</c> / <c>renew</c> with the real
/// binaries: a central hub on PostgreSQL that signs with a node CA key written by <see cref="TestPki"/>.
/// </summary>
public sealed class EnrollmentEndToEndTests
{
    [Fact]
    public async Task Enroll_TokenFromOperator_NodeEnrollsPushesAndTokenCannotBeReused()
    {
        await using var hub = await HubProcess.StartAsync(signsNodeCertificates: true);
        await hub.AddCenterAsync("center-a");
        var token = await TokenAsync(hub, "site-a", "center-a");
        using var node = EnrolledNode.Create(hub, "site-a", "center-a");
        using var other = EnrolledNode.Create(hub, "site-a", "center-a");

        var enrolled = await node.EnrollAsync(token);
        var reused = await other.EnrollAsync(token);

        Assert.True(enrolled.ExitCode == 0, enrolled.StandardOutput + enrolled.StandardError);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(node.KeyFile));
        Assert.DoesNotContain("PRIVATE KEY", enrolled.StandardOutput + enrolled.StandardError, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPemFile(node.CertificateFile, node.KeyFile);
        Assert.Equal("CN=site-a", certificate.Subject);
        Assert.Equal(1, reused.ExitCode);
        var line = Assert.Single(reused.ErrorLines);
        Assert.Contains("Unauthenticated", line, StringComparison.Ordinal);
        Assert.Contains("already been used", line, StringComparison.Ordinal);
        Assert.False(File.Exists(other.KeyFile), "a refused enrollment writes no key");
        Assert.DoesNotContain(token, hub.Output, StringComparison.Ordinal);

        node.UseEnrolledCertificate();
        var report = node.Root.Combine("case1.pdf");
        await File.WriteAllBytesAsync(report, RandomNumberGenerator.GetBytes(20_000));
        var push = await node.RunAsync("push", report);

        Assert.True(push.ExitCode == 0, push.StandardOutput + push.StandardError);
        await using var db = hub.Db();
        var registered = await db.NodeCertificates.Include(c => c.Node).SingleAsync();
        Assert.Equal(("site-a", certificate.GetCertHashString(HashAlgorithmName.SHA256)), (registered.Node!.NodeKey, registered.ThumbprintSha256));
        Assert.NotNull((await db.EnrollmentTokens.SingleAsync()).UsedAt);
        Assert.Equal("center-a", (await db.UploadJobs.Include(j => j.SourceCenter).SingleAsync()).SourceCenter!.CenterKey);

        using var http = hub.HttpClient();
        using var ready = JsonDocument.Parse(await http.GetStringAsync(new Uri(hub.ApiUrl, "/readyz")));
        var check = ready.RootElement.GetProperty("checks").GetProperty("node_certificates");
        Assert.True(check.GetProperty("ok").GetBoolean());
        Assert.Equal("0 expiring within 30 days, 0 expired", check.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Enroll_ExpiredTokenOrCsrForAnotherNode_RefusedAndNothingRegistered()
    {
        await using var hub = await HubProcess.StartAsync(signsNodeCertificates: true);
        await hub.AddCenterAsync("center-a");
        var expiring = await TokenAsync(hub, "site-a", "center-a", "--ttl", "1s");
        var token = await TokenAsync(hub, "site-a", "center-a");
        using var node = EnrolledNode.Create(hub, "site-a", "center-a");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var expired = await node.EnrollAsync(expiring);
        var forOther = await node.EnrollAsync(token, "--node-key", "site-b");

        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("has expired", Assert.Single(expired.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(1, forOther.ExitCode);
        var line = Assert.Single(forOther.ErrorLines);
        Assert.Contains("PermissionDenied", line, StringComparison.Ordinal);
        Assert.Contains("CN=site-a", line, StringComparison.Ordinal);
        await using (var db = hub.Db())
        {
            Assert.Equal(0, await db.NodeCertificates.CountAsync());
            Assert.All(await db.EnrollmentTokens.ToListAsync(), t => Assert.Null(t.UsedAt));
        }

        // The refused CSR did not spend the token.
        var enrolled = await node.EnrollAsync(token);
        Assert.True(enrolled.ExitCode == 0, enrolled.StandardError);
    }

    [Fact]
    public async Task Renew_WithCurrentCertificate_BothAuthenticateUntilOldIsRevoked()
    {
        await using var hub = await HubProcess.StartAsync(signsNodeCertificates: true);
        await hub.AddCenterAsync("center-a");
        using var node = EnrolledNode.Create(hub, "site-a", "center-a");
        Assert.Equal(0, (await node.EnrollAsync(await TokenAsync(hub, "site-a", "center-a"))).ExitCode);
        await TokenAsync(hub, "site-b", "center-a");
        node.UseEnrolledCertificate();
        using var old = X509Certificate2.CreateFromPemFile(node.CertificateFile, node.KeyFile);

        var forOther = await node.RunAsync("renew", "--node-key", "site-b");
        var renewed = await node.RunAsync("renew");

        Assert.Equal(1, forOther.ExitCode);
        Assert.Contains("PermissionDenied", Assert.Single(forOther.ErrorLines), StringComparison.Ordinal);
        Assert.True(renewed.ExitCode == 0, renewed.StandardOutput + renewed.StandardError);
        using var current = X509Certificate2.CreateFromPemFile(node.CertificateFile, node.KeyFile);
        Assert.NotEqual(old.Thumbprint, current.Thumbprint);
        Assert.NotEqual(old.GetPublicKeyString(), current.GetPublicKeyString());
        using var previous = X509CertificateLoader.LoadCertificateFromFile(node.CertificateFile + ".previous");
        Assert.Equal(old.Thumbprint, previous.Thumbprint);
        await using (var db = hub.Db())
        {
            Assert.Equal(0, await db.NodeCertificates.CountAsync(c => c.Node!.NodeKey == "site-b"));
            Assert.Equal(2, await db.NodeCertificates.CountAsync(c => c.Node!.NodeKey == "site-a"));
        }

        Assert.Equal(StatusCode.NotFound, await CallAsync(hub, old));
        Assert.Equal(StatusCode.NotFound, await CallAsync(hub, current));

        var revoke = await hub.OperatorAsync("nodes", "cert", "revoke", "site-a", old.GetCertHashString(HashAlgorithmName.SHA256), "--reason", "renewed");
        Assert.True(revoke.ExitCode == 0, revoke.StandardError);

        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(hub, old));
        Assert.Equal(StatusCode.NotFound, await CallAsync(hub, current));
        var push = await node.RunAsync("push", await WriteFileAsync(node));
        Assert.True(push.ExitCode == 0, push.StandardOutput + push.StandardError);
    }

    [Fact]
    public async Task Enroll_BehindTemplateNginx_EnrollsThroughHttpsServerAndPushesThroughNodeServer()
    {
        // The deployed shape: the hub listens on loopback in proxy mode, nginx (deploy template) in front.
        await using var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["LXA_HUB_TRUSTED_PROXIES"] = "127.0.0.1",
            ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = "X-Lxa-Proxy-Attestation",
            ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = "attested-by-enrollment-test",
        }, signsNodeCertificates: true, proxiedTransfer: true);
        await hub.AddCenterAsync("center-a");
        var nginx = await TemplateNginx.StartAsync(hub, hub.Root.Combine("front"), "X-Lxa-Proxy-Attestation", "attested-by-enrollment-test");
        await using var front = nginx.Process;
        var token = await TokenAsync(hub, "site-a", "center-a");
        using var node = EnrolledNode.Create(hub, "site-a", "center-a");

        // The hub's own listener is plain HTTP now: an Enroll sent there directly is refused (the token never travels in clear).
        var direct = await node.RunAsync("enroll", "--hub", hub.ApiUrl.ToString().TrimEnd('/'), "--token", token);
        var enrolled = await node.RunAsync("enroll", "--hub", $"https://localhost:{nginx.HttpsPort}", "--token", token);

        Assert.NotEqual(0, direct.ExitCode);
        Assert.True(enrolled.ExitCode == 0, enrolled.StandardOutput + enrolled.StandardError);
        using var certificate = X509Certificate2.CreateFromPemFile(node.CertificateFile, node.KeyFile);
        Assert.Equal("CN=site-a", certificate.Subject);

        node.UseEnrolledCertificate();
        node.Environment["LXA_NODE_HUB_URL"] = $"https://localhost:{nginx.TransferPort}";
        var report = node.Root.Combine("case1.pdf");
        await File.WriteAllBytesAsync(report, RandomNumberGenerator.GetBytes(20_000));
        var push = await node.RunAsync("push", report);

        Assert.True(push.ExitCode == 0, push.StandardOutput + push.StandardError);
        await using var db = hub.Db();
        Assert.Equal("center-a", (await db.UploadJobs.Include(j => j.SourceCenter).SingleAsync()).SourceCenter!.CenterKey);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), (await db.NodeCertificates.SingleAsync()).ThumbprintSha256);
    }

    private static async Task<string> TokenAsync(HubProcess hub, string nodeKey, string centerKey, params string[] extra)
    {
        var result = await hub.OperatorAsync(["nodes", "enroll", nodeKey, "--center", centerKey, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>An authenticated call that finds nothing: NOT_FOUND when the certificate authenticates, UNAUTHENTICATED when not.</summary>
    private static async Task<StatusCode> CallAsync(HubProcess hub, X509Certificate2 certificate)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await hub.Client(certificate).GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = Guid.NewGuid().ToString() }));
        return ex.StatusCode;
    }

    private static async Task<string> WriteFileAsync(EnrolledNode node)
    {
        var path = node.Root.Combine("case2.pdf");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(10_000));
        return path;
    }
}
