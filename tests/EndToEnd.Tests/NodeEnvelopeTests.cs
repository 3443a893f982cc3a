using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The media envelope on the gRPC path: the real <c>lxa-node</c> encrypts, the real hub decrypts.</summary>
public sealed partial class NodeEnvelopeTests
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task Push_EnvelopeNodeKilledMidUpload_ResumesAndStoresPlaintextWithFingerprint()
    {
        using var keys = new TempDirectory();
        await GenerateAsync(keys, "recipient");
        await using var hub = await HubProcess.StartAsync(HubEnvironment(keys, requireEnvelope: true));
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        node.Environment["LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE"] = keys.Combine("recipient.pub.pem");
        var file = node.Root.Combine("long-case.mp4");
        var content = RandomNumberGenerator.GetBytes(128 * Chunk);
        await File.WriteAllBytesAsync(file, content);

        await using (var first = ChildProcess.StartDotnet(Binaries.Node, ["push", file], node.Environment))
        {
            await WaitForAsync(async () =>
            {
                await using var db = hub.Db();
                return await db.Transfers.AnyAsync(t => t.ReceivedBytes >= 32L * Chunk);
            }, TimeSpan.FromMinutes(2));
            await first.KillAsync();
        }

        var second = await node.RunAsync("push", file);

        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        await using var check = hub.Db();
        var job = await check.UploadJobs.SingleAsync();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha256, job.ContentHash);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.StorageDir, job.StoragePath)));
        Assert.Matches("^[0-9a-f]{64}$", job.ProcessingProvenance.EnvelopeFingerprintSha256);
        Assert.Equal($"node-a__video__{sha256}__grpc_v1", job.ProcessingProvenance.TransferKey);

        // The second call resumed the same ciphertext: what was sent twice is under two chunks.
        var received = ReceivedPerCall().Matches(hub.Output).Sum(m => long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture));
        Assert.True(received - content.Length < 2 * Chunk, $"hub received {received} bytes for a {content.Length}-byte file");
        Assert.Equal(2, ReceivedPerCall().Count(hub.Output));

        // Neither the staged ciphertext on the node nor the partial ciphertext on the hub outlives the delivery.
        Assert.Empty(Directory.GetFiles(node.Root.Path, "*.envelope*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(hub.Root.Path, "*.part", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(hub.Root.Path, "*.envelope.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Push_EnvelopedPdfHubKilledMidUpload_NoPlaintextOnTheHubAndStoredEncrypted()
    {
        using var keys = new TempDirectory();
        await GenerateAsync(keys, "recipient");
        await using var hub = await HubProcess.StartAsync(HubEnvironment(keys, requireEnvelope: true));
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        node.Environment["LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE"] = keys.Combine("recipient.pub.pem");
        var marker = PlaintextMarker.New();
        var content = PlaintextMarker.Pdf(marker, 48 * Chunk);
        var file = node.Root.Combine("report.pdf");
        await File.WriteAllBytesAsync(file, content);

        await using (var push = ChildProcess.StartDotnet(Binaries.Node, ["push", file], node.Environment))
        {
            await WaitForAsync(async () =>
            {
                await using var db = hub.Db();
                return await db.Transfers.AnyAsync(t => t.ReceivedBytes >= 8L * Chunk);
            }, TimeSpan.FromMinutes(2));
            await hub.KillAsync();
            await push.KillAsync();
        }

        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));
        await hub.RestartAsync();
        var second = await node.RunAsync("push", file);

        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.Empty(PlaintextMarker.FilesContaining(hub.Root.Path, marker));
        await using var check = hub.Db();
        var job = await check.UploadJobs.SingleAsync();
        Assert.EndsWith(".lxenc", job.StoragePath, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), await LxAnnotate.Hub.Storage.Encryption.EncryptedFile.Sha256Async(Path.Combine(hub.StorageDir, job.StoragePath), hub.KeyRing, content.Length));
    }

    [Fact]
    public async Task Push_PlainToHubRequiringEnvelope_RefusedAsEnvelopeRequired()
    {
        using var keys = new TempDirectory();
        await GenerateAsync(keys, "recipient");
        await using var hub = await HubProcess.StartAsync(HubEnvironment(keys, requireEnvelope: true));
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var file = node.Root.Combine("plain.pdf");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(5000));

        var result = await node.RunAsync("push", "--timeout", "60", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("FailedPrecondition", Reason(node), StringComparison.Ordinal);
        Assert.Contains("envelope_required", Reason(node), StringComparison.Ordinal);
        await using var db = hub.Db();
        Assert.Equal(0, await db.UploadJobs.CountAsync());
    }

    [Fact]
    public async Task Push_EnvelopeForAnotherRecipient_RefusedNamingThePhaseAndNothingStored()
    {
        using var keys = new TempDirectory();
        await GenerateAsync(keys, "recipient");
        await GenerateAsync(keys, "other");
        await using var hub = await HubProcess.StartAsync(HubEnvironment(keys, requireEnvelope: false));
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        node.Environment["LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE"] = keys.Combine("other.pub.pem");
        var file = node.Root.Combine("wrong-key.pdf");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(5000));

        var result = await node.RunAsync("push", "--timeout", "60", file);

        Assert.NotEqual(0, result.ExitCode);
        var reason = Reason(node);
        Assert.Contains("recipient_key_unavailable", reason, StringComparison.Ordinal);
        Assert.Contains("phase key_unwrap", reason, StringComparison.Ordinal);
        await using var db = hub.Db();
        Assert.Equal(0, await db.UploadJobs.CountAsync());
        Assert.Equal(0, await db.Transfers.CountAsync());
        Assert.Empty(Directory.GetFiles(node.Root.Path, "*.envelope*", SearchOption.AllDirectories));
    }

    private static Dictionary<string, string?> HubEnvironment(TempDirectory keys, bool requireEnvelope) => new()
    {
        ["ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES"] = keys.Combine("recipient.key.pem"),
        ["ENDOREG_HUB_TRANSFER_REQUIRE_ROOT_OWNED_PRIVATE_KEYS"] = "false",
        ["LX_ANNOTATE_HUB_REQUIRE_ENVELOPE"] = requireEnvelope ? "true" : "false",
    };

    private static async Task GenerateAsync(TempDirectory keys, string name)
    {
        var generated = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["transfer-keys", "generate", "--out-dir", keys.Path, "--name", name], new Dictionary<string, string?>());
        Assert.True(generated.ExitCode == 0, generated.StandardError);
    }

    private static string Reason(NodeEnvironment node)
    {
        var reasons = Directory.GetFiles(node.Root.Combine("quarantine"), "*.reason.json");
        return JsonDocument.Parse(File.ReadAllText(Assert.Single(reasons))).RootElement.GetProperty("why").GetString()!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout}");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"(?:received (?<bytes>\d+) bytes$|\((?<bytes>\d+) received in this call\))", RegexOptions.Multiline)]
    private static partial Regex ReceivedPerCall();
}
