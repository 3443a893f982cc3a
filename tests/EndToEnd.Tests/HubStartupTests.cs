using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Npgsql;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The configuration contract and <c>migrate</c>, through the real <c>lxa-hub</c> / <c>lxa-node</c> binaries.</summary>
public sealed class HubStartupTests
{
    [Fact]
    public async Task Migrate_CentralHubWithSqlite_ExitsNonZeroWithOneLine()
    {
        using var root = new TempDirectory();

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = $"sqlite:///{root.Path}/hub.sqlite3",
        });

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("DATABASE_URL", line, StringComparison.Ordinal);
        Assert.Contains("SQLite", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root.Path, "hub.sqlite3")));
    }

    [Fact]
    public async Task CheckConfig_CentralHubWithoutDatabase_ExitsNonZeroWithOneLine()
    {
        using var root = new TempDirectory();

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["check-config"], new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
        });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PostgreSQL", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_DataDirAliasDiffers_ExitsNonZeroWithOneLineNamingIt()
    {
        using var root = new TempDirectory();
        using var other = new TempDirectory();

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["LX_ANNOTATE_DATA_DIR"] = other.Path,
        });

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("lxa-hub: LX_ANNOTATE_DATA_DIR", line, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("node")]
    public async Task CheckConfig_UnknownRole_ExitsNonZeroNamingTheValue(string binary)
    {
        using var root = new TempDirectory();

        var result = await ProcessRunner.RunDotnetAsync(binary == "hub" ? Binaries.Hub : Binaries.Node, ["check-config"], new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central-hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
        });

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("ENDOREG_DEPLOYMENT_ROLE", line, StringComparison.Ordinal);
        Assert.Contains("'central-hub'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_EmptyPostgres_CreatesSchemaThenDoesNothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var root = new TempDirectory();
        const string password = "Pw-never-in-output-7f3a";
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = $"postgres://{builder.Username}:{password}@{builder.Host}:{builder.Port}/{builder.Database}",
        };

        var first = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], environment);
        var second = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], environment);

        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Contains("Applied", first.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", first.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("is current; nothing to apply", second.StandardOutput, StringComparison.Ordinal);
        foreach (var output in new[] { first.StandardOutput, first.StandardError, second.StandardOutput, second.StandardError })
        {
            Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('centers', 'network_nodes', 'network_node_certificates', 'upload_jobs')",
            connection);
        Assert.Equal(4L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_DatabaseUnreachable_OneLineWithoutPassword()
    {
        using var root = new TempDirectory();
        const string password = "Pw-unreachable-91c2";

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = $"postgres://lxa:{password}@127.0.0.1:{FreePort.Next()}/lxa",
        });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("lxa-hub: cannot migrate postgresql://lxa@127.0.0.1:", line, StringComparison.Ordinal);
        Assert.DoesNotContain(password, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_EnvFile_IsReadAndWinsOverTheEnvironment()
    {
        using var root = new TempDirectory();
        var envFile = root.Combine(".env.systemd");
        await File.WriteAllTextAsync(envFile, $"# hub settings\nENDOREG_DEPLOYMENT_ROLE=site_node\nLX_ANNOTATE_ENCRYPTED_DATA_DIR=\"{root.Path}\"\nLX_ANNOTATE_DEFAULT_CENTER='center-a'\n");

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["check-config", "--env-file", envFile], new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
        });

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("role: site_node", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("default center: center-a", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"sqlite:{root.Path}/lxa.sqlite3", result.StandardOutput, StringComparison.Ordinal);
    }
}
