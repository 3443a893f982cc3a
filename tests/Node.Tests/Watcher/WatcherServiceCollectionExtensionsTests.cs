using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.Node.Watcher;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LxAnnotate.Node.Tests.Watcher;

public sealed class WatcherServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddDropFolderWatcher_WithCompositionRootServices_ResolvesTheHostedService()
    {
        using var temp = new TempDirectory();
        var paths = RuntimeSettingsResolver.Resolve(name => name == "LX_ANNOTATE_ENCRYPTED_DATA_DIR" ? temp.Path : null).Paths;
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(paths)
            .AddSingleton(new NodeSettings { HubSocketPath = temp.Combine("hub.sock"), OutboxDir = temp.Combine("o"), OutboxDatabase = temp.Combine("o.db") })
            .AddSingleton<IOutbox>(new FakeOutbox(temp.Combine("admitted")));

        services.AddDropFolderWatcher();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<DropFolderWatcher>(Assert.Single(provider.GetServices<IHostedService>()));
    }
}
