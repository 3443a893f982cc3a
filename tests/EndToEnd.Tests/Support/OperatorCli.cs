using System.Text.Json;
using LxAnnotate.TestSupport;
using Npgsql;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// The real <c>lxa-hub</c> operator commands against a fresh central_hub PostgreSQL database, with the
/// environment an operator's shell would have (the env file's variables, <c>SUDO_USER</c>).
/// </summary>
internal sealed class OperatorCli : IAsyncDisposable
{
    private readonly PostgresTestDatabase database;

    private OperatorCli(TempDirectory root, PostgresTestDatabase database)
    {
        Root = root;
        this.database = database;
        Environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = database.Url,
            ["LXA_HUB_NODE_CA_FILE"] = null,
            ["SUDO_USER"] = "ops-alice",
        };
    }

    public TempDirectory Root { get; }

    public Dictionary<string, string?> Environment { get; }

    public static async Task<OperatorCli> CreateAsync(bool migrate = true)
    {
        var cli = new OperatorCli(new TempDirectory(), await PostgresTestDatabase.CreateAsync());
        if (migrate)
        {
            var result = await cli.RunAsync("migrate");
            Assert.True(result.ExitCode == 0, result.StandardError);
        }

        return cli;
    }

    public Task<ProcessResult> RunAsync(params string[] args) => ProcessRunner.RunDotnetAsync(Binaries.Hub, args, Environment);

    /// <summary>Runs a command that must succeed with <c>--json</c> and returns the parsed output.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"lxa-hub {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>Runs a command that must fail and returns its one stderr line.</summary>
    public async Task<string> FailureAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode, $"lxa-hub {string.Join(' ', args)} exited {result.ExitCode}, not {exitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.Equal("", result.StandardOutput);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("lxa-hub: ", line, StringComparison.Ordinal);
        return line;
    }

    public async Task<List<(string Actor, string Action, string Target, string Details)>> AuditEventsAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT actor, action, target, details::text FROM audit_events ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(string, string, string, string)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return events;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        Root.Dispose();
    }
}
