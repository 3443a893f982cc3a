using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// A real <c>lxa-hub</c> with hub transfers enabled over HTTPS, a recipient key made by
/// <c>lxa-hub transfer-keys generate</c>, and Python-era nodes whose secrets were set through the CLI.
/// The sender is <c>python/hub_sender.py</c> (Python <c>requests</c> + <c>cryptography</c>).
/// </summary>
internal sealed class HubTransferSite : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    public const string NodeKey = "node-py";

    public const string CenterKey = "center-a";

    public const string OtherCenterKey = "center-b";

    public const string Secret = "python-node-secret-0123456789";

    public const string AttestationHeader = "X-Mtls-Verified";

    public const string AttestationValue = "verified-by-proxy";

    /// <summary>The original's defaults: the Django META form of <c>X-Client-Cert-Verified</c> and nginx's <c>$ssl_client_verify</c>.</summary>
    public const string OriginalMetaKey = "HTTP_X_CLIENT_CERT_VERIFIED";

    public const string OriginalMetaValue = "SUCCESS";

    private HubTransferSite(HubProcess hub, NginxProcess? nginx, Uri baseUrl, Uri? apiServerUrl, TempDirectory keys, string recipientPublic, string otherPublic, string certFile, string keyFile, string caFile)
    {
        Hub = hub;
        Nginx = nginx;
        BaseUrl = baseUrl;
        ApiServerUrl = apiServerUrl;
        Keys = keys;
        RecipientPublicKey = recipientPublic;
        OtherPublicKey = otherPublic;
        CertificateFile = certFile;
        KeyFile = keyFile;
        CaFile = caFile;
    }

    public HubProcess Hub { get; }

    /// <summary>The deploy template's nginx in front of the hub (verifies the client certificate and attests it), or null.</summary>
    public NginxProcess? Nginx { get; }

    /// <summary>Where the sender connects: the hub's own HTTPS API listener, or nginx's node (mTLS) server.</summary>
    public Uri BaseUrl { get; }

    /// <summary>nginx's server for browsers and REST (no client certificate), when there is an nginx.</summary>
    public Uri? ApiServerUrl { get; }

    public TempDirectory Keys { get; }

    public string RecipientPublicKey { get; }

    /// <summary>A key pair the hub does not hold.</summary>
    public string OtherPublicKey { get; }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    public string CaFile { get; }

    /// <param name="behindNginx">
    /// Put <c>deploy/nginx-lx-annotate.conf</c> (real nginx) in front: nginx terminates TLS, requires a node
    /// certificate and forwards it with the attestation header to the hub's plain-HTTP API listener, which
    /// trusts 127.0.0.1 as its proxy. Otherwise the sender talks HTTPS + mTLS to the hub directly, and the only
    /// trusted proxy is an address that is never used (so attestation headers from loopback are forged).
    /// </param>
    /// <param name="originalNginx">
    /// Instead of the deploy template, a Python-era hub's nginx left unchanged (<c>tests/EndToEnd.Tests/nginx/original-hub-nginx.conf</c>),
    /// and the hub configured with the original's env values: <c>ENDOREG_HUB_TRANSFER_MTLS_META_KEY=HTTP_X_CLIENT_CERT_VERIFIED</c>,
    /// <c>_VALUE=SUCCESS</c>, no <c>LXA_HUB_TRUSTED_PROXIES</c>.
    /// </param>
    public static async Task<HubTransferSite> StartAsync(bool allowPlaintext = true, bool enabled = true, bool behindNginx = false, bool originalNginx = false)
    {
        behindNginx |= originalNginx;
        var (metaKey, metaValue) = originalNginx ? (OriginalMetaKey, OriginalMetaValue) : (AttestationHeader, AttestationValue);
        var keys = await GenerateKeysAsync();

        var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ENDOREG_ENABLE_HUB_TRANSFERS"] = enabled ? "true" : "false",
            ["ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA"] = allowPlaintext ? "true" : "false",
            ["ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES"] = keys.Combine("recipient.key.pem"),
            ["ENDOREG_HUB_TRANSFER_REQUIRE_ROOT_OWNED_PRIVATE_KEYS"] = "false",
            ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = metaKey,
            ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = metaValue,
            ["LXA_HUB_TRUSTED_PROXIES"] = originalNginx ? null : behindNginx ? "127.0.0.1" : "10.255.0.1",
        }, signsNodeCertificates: !behindNginx, proxiedTransfer: behindNginx);
        NginxProcess? nginx = null;
        try
        {
            await hub.AddCenterAsync(CenterKey);
            await hub.AddCenterAsync(OtherCenterKey);
            var certificate = await hub.AddNodeAsync(NodeKey, CenterKey);
            var (certFile, keyFile) = TestPki.WritePem(certificate, hub.Root.Path, NodeKey);
            var caFile = hub.Pki.WriteCaPem(hub.Root.Path);
            var baseUrl = hub.ApiUrl;
            Uri? apiServerUrl = null;
            if (behindNginx)
            {
                var front = await StartNginxAsync(hub, originalNginx, metaKey, metaValue);
                nginx = front.Process;
                baseUrl = new Uri($"https://localhost:{front.TransferPort}");
                apiServerUrl = new Uri($"https://localhost:{front.HttpsPort}");
            }

            // The secret hash comes from Python's own PBKDF2, in Django's format: an exported hash verifies unchanged.
            var hash = await ProcessRunner.RunAsync(Python, ["-c",
                "import hashlib,base64,sys; s=b'zQ3xTb7Lm2pR8vKd'; h=hashlib.pbkdf2_hmac('sha256', sys.argv[1].encode(), s, 20000); print('pbkdf2_sha256$20000$' + s.decode() + '$' + base64.b64encode(h).decode())",
                Secret], new Dictionary<string, string?>());
            Assert.True(hash.ExitCode == 0, hash.StandardError);
            var imported = await OperatorWithStdinAsync(hub, hash.StandardOutput.Trim(), "nodes", "import-secret-hash", NodeKey, "--json");
            Assert.True(imported.ExitCode == 0, imported.StandardError);
            Assert.Equal(20000, JsonDocument.Parse(imported.StandardOutput).RootElement.GetProperty("iterations").GetInt32());

            return new HubTransferSite(hub, nginx, baseUrl, apiServerUrl, keys, keys.Combine("recipient.pub.pem"), keys.Combine("other.pub.pem"), certFile, keyFile, caFile);
        }
        catch
        {
            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }

            await hub.DisposeAsync();
            keys.Dispose();
            throw;
        }
    }

    /// <summary>The recipient key pair (<c>lxa-hub transfer-keys generate</c>) and another one the hub does not hold.</summary>
    private static async Task<TempDirectory> GenerateKeysAsync()
    {
        var keys = new TempDirectory();
        var generated = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["transfer-keys", "generate", "--out-dir", keys.Path, "--name", "recipient"], new Dictionary<string, string?>());
        Assert.True(generated.ExitCode == 0, generated.StandardError);
        Assert.Contains("recipient_key_id: ", generated.StandardOutput, StringComparison.Ordinal);
        var other = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["transfer-keys", "generate", "--out-dir", keys.Path, "--name", "other"], new Dictionary<string, string?>());
        Assert.True(other.ExitCode == 0, other.StandardError);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.Combine("recipient.key.pem")));
        return keys;
    }

    /// <summary>The deploy template's nginx, or the stand-in for a Python-era site's own.</summary>
    private static Task<TemplateNginx> StartNginxAsync(HubProcess hub, bool originalNginx, string metaKey, string metaValue)
    {
        var template = originalNginx ? Path.Combine(Binaries.RepositoryRoot, "tests", "EndToEnd.Tests", "nginx", "original-hub-nginx.conf") : null;
        return TemplateNginx.StartAsync(hub, hub.Root.Combine("front"), metaKey, metaValue, template: template);
    }

    /// <summary>Runs an <c>lxa-hub</c> command with one line on stdin (how secrets and hashes are passed).</summary>
    public static async Task<ProcessResult> OperatorWithStdinAsync(HubProcess hub, string input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Binaries.Hub);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ProcessRunner.ApplyEnvironment(start, hub.Environment);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A valid create payload for new processed media; returns the payload and the media file.</summary>
    public (JsonObject Payload, string MediaFile, string TransferKey) NewReport(string version, int size = 200_000)
    {
        var media = new byte[size];
        RandomNumberGenerator.Fill(media);
        "%PDF-1.7\n"u8.CopyTo(media);
        var mediaFile = Hub.Root.Combine($"media-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(mediaFile, media);
        var resourceHash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var transferKey = $"{NodeKey}__report__{resourceHash}__processed_v1";
        var payload = new JsonObject
        {
            ["transfer_key"] = transferKey,
            ["source_node_key"] = NodeKey,
            ["source_center_key"] = CenterKey,
            ["resource_kind"] = "report",
            ["resource_hash"] = resourceHash,
            ["transfer_mode"] = "metadata_and_processed_media",
            ["processing_policy"] = "preserve_node_state",
            ["processing_intent"] = "archive",
            ["cleanup_policy"] = "keep",
            ["payload_schema_version"] = version,
            ["resource_rows"] = new JsonObject
            {
                ["raw_pdf_file"] = new JsonObject { ["pdf_hash"] = resourceHash, ["anonymized"] = true },
                ["raw_pdf_state"] = new JsonObject { ["anonymized"] = true, ["processed_file_sha256"] = Convert.ToHexStringLower(SHA256.HashData(media)) },
                ["sensitive_meta"] = new JsonObject
                {
                    ["patient_hash"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                    ["examination_hash"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                },
            },
            ["processing_snapshot"] = new JsonObject { ["pipeline"] = "lx-annotate 2.4" },
            ["provenance"] = new JsonObject { ["sender"] = "python" },
        };
        return (payload, mediaFile, transferKey);
    }

    public async Task<SenderResult> CreateAsync(JsonObject payload, params string[] options)
    {
        var file = Hub.Root.Combine($"payload-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, payload.ToJsonString());
        return await SendAsync([.. options, "create", "--payload", file]);
    }

    public Task<SenderResult> StatusAsync(string transferKey) => SendAsync(["status", "--transfer-key", transferKey]);

    public Task<SenderResult> MediaAsync(string transferKey, string mode, string mediaFile, params string[] extra) =>
        SendAsync(["media", "--transfer-key", transferKey, "--mode", mode, "--file", mediaFile, "--recipient", RecipientPublicKey, .. extra]);

    /// <summary>
    /// Runs the sender; leading <c>--no-cert</c> / <c>--secret X</c> / <c>--header K=V</c> / <c>--via-api-server</c>
    /// (nginx's REST server instead of its node server) override the defaults.
    /// </summary>
    public async Task<SenderResult> SendAsync(string[] arguments)
    {
        var baseUrl = arguments.Contains("--via-api-server") ? ApiServerUrl ?? throw new InvalidOperationException("no nginx") : BaseUrl;
        var common = new List<string> { Path.Combine(Binaries.RepositoryRoot, "tests", "EndToEnd.Tests", "python", "hub_sender.py"), "--url", baseUrl.ToString().TrimEnd('/'), "--ca", CaFile, "--node-key", NodeKey };
        var rest = new List<string>();
        var useCertificate = true;
        var secret = Secret;
        for (var i = 0; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case "--no-cert":
                    useCertificate = false;
                    break;
                case "--via-api-server":
                    break;
                case "--secret":
                    secret = arguments[++i];
                    break;
                case "--header":
                    common.AddRange(["--header", arguments[++i]]);
                    break;
                default:
                    rest.Add(arguments[i]);
                    break;
            }
        }

        if (useCertificate)
        {
            common.AddRange(["--cert", CertificateFile, "--key", KeyFile]);
        }

        common.AddRange(["--secret", secret]);
        var result = await ProcessRunner.RunAsync(Python, [.. common, .. rest], new Dictionary<string, string?>(), TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.StandardError);
        var output = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.False(output.GetProperty("redirect").GetBoolean());
        return new SenderResult(output.GetProperty("status").GetInt32(), output.GetProperty("body").Clone());
    }

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        await Hub.DisposeAsync();
        Keys.Dispose();
    }
}
