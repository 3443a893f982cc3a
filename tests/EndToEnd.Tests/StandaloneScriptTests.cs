using System.Diagnostics;
using System.Net.Security;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The README's first command: <c>scripts/standalone.sh</c> starts hub and watcher; a dropped PDF becomes a job.</summary>
public sealed class StandaloneScriptTests
{
    [Fact]
    public async Task StandaloneScript_DropPdf_JobVisibleOverRestAndNodeStatus_ThenStopsCleanly()
    {
        using var root = new TempDirectory();
        var port = FreePort.Next();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Binaries.RepositoryRoot, "scripts", "standalone.sh"));
        start.ArgumentList.Add(root.Path);
        ProcessRunner.ApplyEnvironment(start, new Dictionary<string, string?>
        {
            ["LXA_STANDALONE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LXA_STANDALONE_SKIP_BUILD"] = "1",
            ["LXA_STANDALONE_CONFIGURATION"] = Binaries.Configuration,
            ["WATCHER_STABLE_AFTER_SECONDS"] = "1",
            ["WATCHER_POLL_INTERVAL_SECONDS"] = "1",
        });
        await using var script = ChildProcess.Start(start);
        await WaitForAsync(() => Task.FromResult(script.Output.Contains("LxAnnotate standalone is running", StringComparison.Ordinal)), script);
        Assert.Contains(Path.Combine(root.Path, "data", "import", "report_import"), script.Output, StringComparison.Ordinal);

        var pdf = RandomNumberGenerator.GetBytes(30_000);
        "%PDF-1.7\n"u8.CopyTo(pdf);
        await File.WriteAllBytesAsync(Path.Combine(root.Path, "data", "import", "report_import", "report.pdf"), pdf);

        string? jobId = null;
        var nodeEnvironment = new Dictionary<string, string?> { ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = Path.Combine(root.Path, "data") };
        await WaitForAsync(async () =>
        {
            var status = await ProcessRunner.RunDotnetAsync(Binaries.Node, ["status", "--json"], nodeEnvironment);
            using var json = JsonDocument.Parse(status.StandardOutput);
            jobId = json.RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("upload_job_id").GetString()).FirstOrDefault(id => id is not null);
            return jobId is not null;
        }, script);

        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(root.Path, "certs", "node-ca.crt.pem"));
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    using var custom = new X509Chain();
                    custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    custom.ChainPolicy.CustomTrustStore.Add(ca);
                    custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is not null && custom.Build(new X509Certificate2(certificate));
                },
            },
        });
        using var response = await http.GetAsync(new Uri($"https://127.0.0.1:{port}/api/upload/{jobId}/status/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("watcher", body.RootElement.GetProperty("ingest_mode").GetString());
        Assert.Equal("local", body.RootElement.GetProperty("source_center_key").GetString());

        var exit = await script.TerminateAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("Stopped.", script.Output, StringComparison.Ordinal);
        _ = exit;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, ChildProcess script)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.False(script.HasExited, "standalone.sh exited:\n" + script.Output);
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 2 minutes:\n" + script.Output);
            await Task.Delay(250);
        }
    }
}
