using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>
/// The operator console in a real headless chromium against the real hub binary and a real OIDC provider. Every test
/// has its own browser context and ends with a screenshot of its last page (TestResults/console/).
/// </summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class ConsoleTests(ConsoleFixture fixture)
{
    /// <summary>Stands for patient data reaching the hub (in a file name); no console page may show it.</summary>
    private const string PatientMarker = "Mustermann_Erika_1957-03-14";

    private HubProcess Hub => fixture.Hub;

    [Fact]
    public async Task Console_Anonymous_RedirectedToProviderLogin()
    {
        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var authorizations = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(new Uri(fixture.Provider.Issuer, "/auth").AbsoluteUri, StringComparison.Ordinal))
            {
                authorizations.Add(request.Url);
            }
        };
        try
        {
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/nodes").AbsoluteUri);

            Assert.StartsWith(fixture.Provider.Issuer.AbsoluteUri, page.Url, StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator("input[name=login]").CountAsync());
            // The hub pushes its authorization request (PAR) when the provider offers it, so code, PKCE challenge and
            // query response mode travel in the back channel; the provider here requires PKCE, which every sign-in proves.
            var authorization = Assert.Single(authorizations);
            Assert.Contains("client_id=" + ConsoleFixture.ClientId, authorization, StringComparison.Ordinal);
            Assert.Contains("request_uri=", authorization, StringComparison.Ordinal);
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_Anonymous_RedirectedToProviderLogin));
        }
    }

    [Fact]
    public async Task Console_HubWideOperatorWithJavaScriptOff_SeesAllCentersWithSecurityHeadersAndSignsOut()
    {
        await using var context = await fixture.Chromium.NewContextAsync(javaScriptEnabled: false);
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.HubWideOperator);
        try
        {
            var response = await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/").AbsoluteUri);

            Assert.Equal(200, response!.Status);
            var html = await page.ContentAsync();
            Assert.Contains("center-a", html, StringComparison.Ordinal);
            Assert.Contains("center-b", html, StringComparison.Ordinal);
            Assert.Contains("ops-hub · all centers", await page.InnerTextAsync("header"), StringComparison.Ordinal);
            var headers = await response.AllHeadersAsync();
            Assert.Contains("default-src 'none'", headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
            // The one script the console has is the hub's own file (live progress); nothing inline, no eval.
            Assert.Contains("script-src 'self'; connect-src 'self';", headers["content-security-policy"], StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal(("DENY", "nosniff", "no-referrer", "no-store"),
                (headers["x-frame-options"], headers["x-content-type-options"], headers["referrer-policy"], headers["cache-control"]));
            var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "__Host-lxa-console");
            Assert.Equal((true, true, SameSiteAttribute.Lax), (session.Secure, session.HttpOnly, session.SameSite));

            // A change with JavaScript off: a plain form POST with its antiforgery field.
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/centers").AbsoluteUri);
            await page.FillAsync("input[name=centerKey]", "center-js-off");
            await page.FillAsync("input[name=name]", "Added without JavaScript");
            await page.ClickAsync("button:has-text('Add center')");
            await page.WaitForURLAsync(url => url.EndsWith("/console/centers", StringComparison.Ordinal));
            Assert.Contains("center-js-off", await page.InnerTextAsync("#centers"), StringComparison.Ordinal);
            await using (var db = Hub.Db())
            {
                Assert.Equal(ConsoleFixture.HubWideOperator,
                    await db.AuditEvents.Where(e => e.Target == "center:center-js-off" && e.Action == "center_added").Select(e => e.Actor).SingleAsync());
            }

            await page.ClickAsync("header button[type=submit]");
            await page.ClickAsync("button[name=logout]");
            await page.WaitForURLAsync(url => url.Contains("/console/signed-out", StringComparison.Ordinal));
            Assert.Contains("You are signed out", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "__Host-lxa-console");
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/").AbsoluteUri);
            Assert.StartsWith(fixture.Provider.Issuer.AbsoluteUri, page.Url, StringComparison.Ordinal);
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_HubWideOperatorWithJavaScriptOff_SeesAllCentersWithSecurityHeadersAndSignsOut));
        }
    }

    [Fact]
    public async Task Console_SignedInWithoutOperatorRole_Forbidden()
    {
        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.WithoutRole);
        try
        {
            var overview = await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/").AbsoluteUri);
            var nodes = await context.APIRequest.GetAsync(new Uri(Hub.ApiUrl, "/console/nodes").AbsoluteUri, new() { MaxRedirects = 0 });

            Assert.Equal((403, 403), (overview!.Status, nodes.Status));
            Assert.Contains("403", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
            Assert.DoesNotContain("center-a", await page.ContentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_SignedInWithoutOperatorRole_Forbidden));
        }
    }

    [Fact]
    public async Task Console_RegisterNodeEnrollPushAndRevoke_NodeRefusedAfterRevocationAndAudited()
    {
        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.HubWideOperator, "/console/nodes");
        try
        {
            await page.FillAsync("input[name=nodeKey]", "site-enrolled");
            await page.SelectOptionAsync("select[name=centerKey]", "center-a");
            await page.ClickAsync("button:has-text('Add node')");
            await page.WaitForURLAsync(url => url.Contains("/console/nodes/site-enrolled?done=added", StringComparison.Ordinal));
            await page.ClickAsync("button:has-text('Create enrollment token')");
            var token = (await page.InnerTextAsync("#enrollment-token")).Trim();

            using var node = EnrolledNode.Create(Hub, "site-enrolled", "center-a");
            var enrolled = await node.EnrollAsync(token);
            Assert.True(enrolled.ExitCode == 0, enrolled.StandardOutput + enrolled.StandardError);
            node.UseEnrolledCertificate();
            // Over the 1 MiB of a single Deliver call: the push goes through a transfer (Offer, Upload).
            var first = await PushAsync(node, PatientMarker + ".pdf", 1_500_000);
            Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);

            using var certificate = X509Certificate2.CreateFromPemFile(node.CertificateFile, node.KeyFile);
            await Hub.Client(certificate).HeartbeatAsync(new HeartbeatRequest
            {
                SentAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                Outbox = new OutboxCounts { Done = 1 },
                Version = "console-test",
            });

            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/").AbsoluteUri);
            await HeadlessChromium.ScreenshotAsync(page, "overview");
            Assert.Contains("1 of 1", await page.InnerTextAsync("main"), StringComparison.Ordinal);
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/nodes/site-enrolled").AbsoluteUri);
            Assert.Equal("online", await page.InnerTextAsync("#node-state"));
            Assert.Contains("active", await page.InnerTextAsync("#certificates"), StringComparison.Ordinal);
            await HeadlessChromium.ScreenshotAsync(page, "node");
            await page.FillAsync("#certificates input[name=reason]", "laptop stolen");
            await page.ClickAsync("#certificates button:has-text('Revoke')");
            await page.WaitForURLAsync(url => url.Contains("done=revoked", StringComparison.Ordinal));

            Assert.Contains("revoked: laptop stolen", await page.InnerTextAsync("#certificates"), StringComparison.Ordinal);

            // The node's next call with the revoked certificate: refused before anything is looked up.
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await Hub.Client(certificate).GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = Guid.NewGuid().ToString() }));
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            // And the node's own next push: refused, it stops at once and keeps the file queued.
            var second = await PushAsync(node, "after-revocation.pdf", 2000);
            Assert.True(second.ExitCode == 1, second.StandardOutput + second.StandardError);
            Assert.Contains("does not accept this node's certificate", second.StandardError, StringComparison.Ordinal);
            await using var db = Hub.Db();
            var events = await db.AuditEvents.Where(e => e.Target == "node:site-enrolled" && e.Action != "node_certificate_issued")
                .OrderBy(e => e.Id).Select(e => new { e.Actor, e.Action }).ToListAsync();
            Assert.Equal(["node_added", "node_enrollment_token_created", "node_certificate_revoked"], events.Select(e => e.Action));
            Assert.All(events, e => Assert.Equal(ConsoleFixture.HubWideOperator, e.Actor));
            Assert.DoesNotContain(token, Hub.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.ClientSecret, Hub.Output, StringComparison.Ordinal);
            Assert.Contains("Console sign-in of ops-hub (operator role: True, hub-wide: True)", Hub.Output, StringComparison.Ordinal);
            var job = await db.UploadJobs.SingleAsync(j => j.OriginalFilename == PatientMarker + ".pdf");
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/transfers").AbsoluteUri);
            Assert.Contains(job.Id.ToString(), await page.InnerTextAsync("#transfers"), StringComparison.Ordinal);
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/jobs?center=center-a&status=pending").AbsoluteUri);
            Assert.Contains(job.Id.ToString(), await page.InnerTextAsync("#jobs"), StringComparison.Ordinal);

            // No worker runs here: the job fails by hand, the operator retries it in the browser.
            job.TransitionTo(UploadJobStatus.Processing, DateTimeOffset.UtcNow);
            job.TransitionTo(UploadJobStatus.Error, DateTimeOffset.UtcNow, UploadJobErrorCode.ProcessingFailed, "failed on purpose by the test");
            await db.SaveChangesAsync();
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/jobs/" + job.Id).AbsoluteUri);
            Assert.Equal("error", await page.InnerTextAsync("#job-status"));
            await page.ClickAsync("button:has-text('Retry job')");
            await page.WaitForURLAsync(url => url.Contains("done=retried", StringComparison.Ordinal));
            Assert.Equal("retrying", await page.InnerTextAsync("#job-status"));
            Assert.Equal(ConsoleFixture.HubWideOperator,
                await db.AuditEvents.Where(e => e.Target == "job:" + job.Id.ToString("D") && e.Action == "job_retried").Select(e => e.Actor).SingleAsync());
            await AssertNoPatientValueAsync(page, "/console/", "/console/nodes", "/console/nodes/site-enrolled", "/console/transfers", "/console/jobs",
                "/console/jobs/" + job.Id, "/console/audit");
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_RegisterNodeEnrollPushAndRevoke_NodeRefusedAfterRevocationAndAudited));
        }
    }

    [Fact]
    public async Task Console_CenterScopedOperator_CannotSeeOrChangeAnotherCenter()
    {
        await Hub.AddNodeAsync("site-a-scoped", "center-a");
        await Hub.AddNodeAsync("site-b-scoped", "center-b");
        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.CenterAOperator);
        try
        {
            var overview = await page.ContentAsync();
            var other = await context.APIRequest.GetAsync(new Uri(Hub.ApiUrl, "/console/nodes/site-b-scoped").AbsoluteUri);
            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/nodes").AbsoluteUri);
            var list = await page.ContentAsync();
            var antiforgery = await ConsoleSignIn.AntiforgeryTokenAsync(page);
            var deactivate = await PostAsync(context, "/console/nodes/site-b-scoped?handler=Active", new() { ["active"] = "false", ["__lxa_af"] = antiforgery });
            var add = await PostAsync(context, "/console/nodes?handler=Add", new() { ["nodeKey"] = "site-b-sneaked", ["centerKey"] = "center-b", ["__lxa_af"] = antiforgery });
            var own = await PostAsync(context, "/console/nodes/site-a-scoped?handler=Active", new() { ["active"] = "false", ["__lxa_af"] = antiforgery });
            var otherJobs = await context.APIRequest.GetAsync(new Uri(Hub.ApiUrl, "/console/jobs?center=center-b").AbsoluteUri);
            var unknownJob = await context.APIRequest.GetAsync(new Uri(Hub.ApiUrl, "/console/jobs/" + Guid.NewGuid()).AbsoluteUri);
            var audit = await context.APIRequest.GetAsync(new Uri(Hub.ApiUrl, "/console/audit").AbsoluteUri);
            var addCenter = await PostAsync(context, "/console/centers?handler=Add", new() { ["centerKey"] = "center-sneaked", ["name"] = "x", ["__lxa_af"] = antiforgery });

            Assert.Contains("site-a-scoped", overview, StringComparison.Ordinal);
            Assert.DoesNotContain("center-b", overview, StringComparison.Ordinal);
            Assert.DoesNotContain("site-b-scoped", list, StringComparison.Ordinal);
            Assert.Equal((404, 404, 403, 302), (other.Status, deactivate.Status, add.Status, own.Status));
            Assert.Equal((403, 404, 403, 403), (otherJobs.Status, unknownJob.Status, audit.Status, addCenter.Status));
            await using var db = Hub.Db();
            Assert.True(await db.NetworkNodes.Where(n => n.NodeKey == "site-b-scoped").Select(n => n.IsActive).SingleAsync());
            Assert.False(await db.NetworkNodes.AnyAsync(n => n.NodeKey == "site-b-sneaked"));
            Assert.False(await db.Centers.AnyAsync(c => c.CenterKey == "center-sneaked"));
            Assert.False(await db.NetworkNodes.Where(n => n.NodeKey == "site-a-scoped").Select(n => n.IsActive).SingleAsync());
            Assert.Equal("ops-a", await db.AuditEvents.Where(e => e.Target == "node:site-a-scoped").Select(e => e.Actor).SingleAsync());
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_CenterScopedOperator_CannotSeeOrChangeAnotherCenter));
        }
    }

    [Fact]
    public async Task Console_PostWithoutAntiforgeryToken_RefusedAndNothingChanged()
    {
        await Hub.AddNodeAsync("site-antiforgery", "center-a");
        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.HubWideOperator, "/console/nodes/site-antiforgery");
        try
        {
            var missing = await PostAsync(context, "/console/nodes/site-antiforgery?handler=Active", new() { ["active"] = "false" });
            var wrong = await PostAsync(context, "/console/nodes/site-antiforgery?handler=Active", new() { ["active"] = "false", ["__lxa_af"] = "forged" });

            Assert.Equal((400, 400), (missing.Status, wrong.Status));
            await using var db = Hub.Db();
            Assert.True(await db.NetworkNodes.Where(n => n.NodeKey == "site-antiforgery").Select(n => n.IsActive).SingleAsync());
            Assert.False(await db.AuditEvents.AnyAsync(e => e.Target == "node:site-antiforgery"));
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_PostWithoutAntiforgeryToken_RefusedAndNothingChanged));
        }
    }

    private Task<IAPIResponse> PostAsync(IBrowserContext context, string path, Dictionary<string, string> form)
    {
        var data = context.APIRequest.CreateFormData();
        foreach (var (name, value) in form)
        {
            data.Append(name, value);
        }

        return context.APIRequest.PostAsync(new Uri(Hub.ApiUrl, path).AbsoluteUri, new() { Form = data, MaxRedirects = 0 });
    }

    private static async Task<LxAnnotate.TestSupport.ProcessResult> PushAsync(EnrolledNode node, string name, int size)
    {
        var file = node.Root.Combine(name);
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(size));
        return await node.RunAsync("push", file);
    }

    private async Task AssertNoPatientValueAsync(IPage page, params string[] paths)
    {
        foreach (var path in paths)
        {
            await page.GotoAsync(new Uri(Hub.ApiUrl, path).AbsoluteUri);
            var html = await page.ContentAsync();
            Assert.DoesNotContain("Mustermann", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("1957-03-14", html, StringComparison.Ordinal);
        }
    }
}
