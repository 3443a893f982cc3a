namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>One hub for the sender tests of a class; every test uses its own transfer key.</summary>
public sealed class HubTransferFixture : IAsyncLifetime
{
    private HubTransferSite? site;

    internal HubTransferSite Site => site ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => site = await HubTransferSite.StartAsync();

    public async Task DisposeAsync()
    {
        if (site is not null)
        {
            await site.DisposeAsync();
        }
    }
}
