using System.Globalization;
using System.Security.Cryptography;
using LxAnnotate.TestSupport;
using Npgsql;

namespace LxAnnotate.EndToEnd.Tests.PythonImport;

/// <summary>
/// A Python install to import from, restored from the committed fixture (tests/fixtures/python-db: a pg_dump of the
/// original's schema and its storage tree), next to a fresh, migrated central hub with a master key and the
/// fixture's salt. Runs the real <c>lxa-hub import-python</c>.
/// </summary>
internal sealed class PythonInstall : IAsyncDisposable
{
    public static readonly string FixtureRoot = Path.Combine(Binaries.RepositoryRoot, "tests", "fixtures", "python-db");

    private PythonInstall(TempDirectory root, PostgresTestDatabase source, PostgresTestDatabase target, byte[] key)
    {
        Root = root;
        Source = source;
        Target = target;
        Key = key;
        Environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Combine("hub"),
            ["DATABASE_URL"] = target.Url,
            ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(key),
            ["DJANGO_SALT"] = FixtureSalt(),
            ["LXA_HUB_NODE_CA_FILE"] = null,
        };
    }

    public TempDirectory Root { get; }

    public PostgresTestDatabase Source { get; }

    public PostgresTestDatabase Target { get; }

    public byte[] Key { get; }

    public Dictionary<string, string?> Environment { get; }

    /// <summary>The original's data directory (its files under <c>storage/</c>), as passed to <c>--data-dir</c>.</summary>
    public string PythonDataDir => Root.Combine("python");

    public string PythonStorage => Root.Combine("python", "storage");

    public string HubStorage => Root.Combine("hub", "storage");

    /// <param name="line"><c>v1_0</c> or <c>v0_7</c>.</param>
    /// <param name="sqliteHub">Import into a standalone hub on its SQLite database instead of a central hub on PostgreSQL.</param>
    public static async Task<PythonInstall> CreateAsync(string line, bool sqliteHub = false)
    {
        var install = new PythonInstall(new TempDirectory(), await PostgresTestDatabase.CreateAsync(), await PostgresTestDatabase.CreateAsync(), TestMasterKey.NewKey());
        if (sqliteHub)
        {
            install.Environment["ENDOREG_DEPLOYMENT_ROLE"] = "standalone";
            install.Environment["DATABASE_URL"] = null;
        }

        CopyTree(Path.Combine(FixtureRoot, "storage"), install.PythonStorage);
        var b = new NpgsqlConnectionStringBuilder(install.Source.ConnectionString);
        var restore = await ProcessRunner.RunAsync(
            "psql",
            ["-q", "-v", "ON_ERROR_STOP=1", "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, "-d", b.Database!, "-f", Path.Combine(FixtureRoot, line + ".sql")],
            new Dictionary<string, string?> { ["PGPASSWORD"] = b.Password });
        Assert.True(restore.ExitCode == 0, restore.StandardError);
        var migrate = await install.RunAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.StandardError);
        return install;
    }

    public string SourceUrl => Source.Url;

    public Task<ProcessResult> RunAsync(params string[] args) => ProcessRunner.RunDotnetAsync(Binaries.Hub, args, Environment, TimeSpan.FromMinutes(3));

    public Task<ProcessResult> ImportAsync(params string[] extra) =>
        RunAsync(["import-python", "--django-database-url", SourceUrl, "--data-dir", PythonDataDir, .. extra]);

    public ChildProcess StartImport(Dictionary<string, string?> environment) =>
        ChildProcess.StartDotnet(Binaries.Hub, ["import-python", "--django-database-url", SourceUrl, "--data-dir", PythonDataDir], environment);

    /// <summary>Path → SHA-256 of every file under <paramref name="root"/> (relative paths).</summary>
    public static SortedDictionary<string, string> Files(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return files;
        }

        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(root, path)] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }

        return files;
    }

    /// <summary>One text per table: every row of it, ordered, so two calls compare whole tables.</summary>
    public static async Task<Dictionary<string, string>> TablesAsync(string connectionString, params string[] tables)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) || ':' || coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM {table} t", connection);
            result[table] = (string)(await command.ExecuteScalarAsync())!;
        }

        return result;
    }

    public static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        Root.Dispose();
    }

    private static string FixtureSalt() =>
        File.ReadAllLines(Path.Combine(FixtureRoot, "fixture.env")).Single(l => l.StartsWith("salt=", StringComparison.Ordinal))["salt=".Length..];

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
