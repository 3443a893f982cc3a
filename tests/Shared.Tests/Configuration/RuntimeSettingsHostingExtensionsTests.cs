using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class RuntimeSettingsHostingExtensionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static HostApplicationBuilder Builder(Dictionary<string, string?> values)
    {
        // The empty builder adds no environment-variable source, so the test cannot pick up
        // the machine's own settings.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }

    [Fact]
    public void AddLxaRuntimeSettings_ValidConfiguration_RegistersResolvedSingletons()
    {
        var builder = Builder(new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "site_node",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _temp.Combine("data"),
            ["LX_ANNOTATE_DEFAULT_CENTER"] = "uk-essen",
        });

        LxaRuntimeSettings settings = builder.AddLxaRuntimeSettings();
        using IHost host = builder.Build();

        Assert.Equal(DeploymentRole.SiteNode, settings.Role);
        Assert.Same(settings, host.Services.GetRequiredService<LxaRuntimeSettings>());
        Assert.Same(settings.Paths, host.Services.GetRequiredService<DataPaths>());
        Assert.Same(settings.Database, host.Services.GetRequiredService<DatabaseSettings>());
    }

    [Fact]
    public void AddLxaRuntimeSettings_BadValue_ThrowsBeforeBuild()
    {
        var builder = Builder(new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _temp.Combine("data"),
        });

        var ex = Assert.Throws<ConfigurationContractException>(() => builder.AddLxaRuntimeSettings());

        Assert.Equal("ENDOREG_DEPLOYMENT_ROLE", ex.VariableName);
    }
}
