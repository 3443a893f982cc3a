using LxAnnotate.EndToEnd.Tests.Support;

namespace LxAnnotate.EndToEnd.Tests.PythonEraTransfers;

/// <summary>The hub transfer endpoints under settings other than the fixture's.</summary>
public sealed class HubTransferSettingsTests
{
    [Fact]
    public async Task Plaintext20_WithoutFlag_403PlaintextMediaDisabled()
    {
        await using var site = await HubTransferSite.StartAsync(allowPlaintext: false);
        var (payload, media, key) = site.NewReport("2.0");
        Assert.Equal(201, (await site.CreateAsync(payload)).Status);

        var result = await site.MediaAsync(key, "plain", media);

        Assert.Equal(403, result.Status);
        Assert.Equal("plaintext_media_disabled", result.Text("rejection_code"));
        Assert.Equal("awaiting_media", result.Text("transfer_status"));
    }

    [Fact]
    public async Task Create_TransfersDisabled_404TransferJobNotFound()
    {
        await using var site = await HubTransferSite.StartAsync(enabled: false);
        var (payload, _, _) = site.NewReport("3.0");

        var result = await site.CreateAsync(payload);

        Assert.Equal(404, result.Status);
        Assert.Equal("Transfer job not found", result.Text("detail"));
    }
}
