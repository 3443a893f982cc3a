using System.Globalization;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Npgsql;

namespace LxAnnotate.EndToEnd.Tests.Migration;

/// <summary>
/// A PostgreSQL cluster of its own, as a production database for the original is set up: TCP on loopback only with
/// SSL (a self-signed server certificate made at test time), and <c>hostssl … scram-sha-256</c> as its only TCP rule,
/// so a connection without TLS or without the password is refused. One role and database, both <c>lx_annotate</c>.
/// Started as the postgres user when the tests run as root (initdb refuses root), as the current user otherwise;
/// stopped on dispose.
/// </summary>
internal sealed class SslPostgresCluster : IAsyncDisposable
{
    public const string Role = "lx_annotate";
    public const string Database = "lx_annotate";

    private readonly string binDirectory;
    private readonly string dataDirectory;

    private SslPostgresCluster(string binDirectory, string dataDirectory, int port, string password)
    {
        this.binDirectory = binDirectory;
        this.dataDirectory = dataDirectory;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    /// <summary>The role's connection, over TLS (the server's certificate is self-signed, so it is not verified).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = Database,
        Username = Role,
        Password = Password,
        SslMode = SslMode.Require,
        Pooling = false,
    }.ConnectionString;

    /// <param name="directory">An empty directory the postgres user may own (its parents must be traversable).</param>
    public static async Task<SslPostgresCluster> StartAsync(string directory)
    {
        var bin = PostgresServerTools.Bin;
        var data = Path.Combine(directory, "data");
        var socket = Path.Combine(directory, "sock");
        Directory.CreateDirectory(socket);
        await OwnAsync(directory, "-R");
        await AsPostgresAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=reject", "--encoding=UTF8", "--locale=C.UTF-8");

        await RunAsync(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", Path.Combine(data, "server.key"), "-out", Path.Combine(data, "server.crt"));
        await OwnAsync(Path.Combine(data, "server.key"));
        await OwnAsync(Path.Combine(data, "server.crt"));
        File.SetUnixFileMode(Path.Combine(data, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Only the local socket (for setting up) and TLS with a password over TCP; no plain "host" rule at all.
        await File.WriteAllTextAsync(Path.Combine(data, "pg_hba.conf"), "local all postgres trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n");
        await File.AppendAllTextAsync(
            Path.Combine(data, "postgresql.conf"),
            "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\npassword_encryption = 'scram-sha-256'\nfsync = off\n");

        var port = await StartServerAsync(bin, data, socket);
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) + "-'\"; x";
        var cluster = new SslPostgresCluster(bin, data, port, password);
        var quoted = password.Replace("'", "''", StringComparison.Ordinal);
        await AsPostgresAsync(
            Path.Combine(bin, "psql"), "-h", socket, "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
            "-c", $"CREATE ROLE {Role} LOGIN PASSWORD '{quoted}'", "-c", $"CREATE DATABASE {Database} OWNER {Role}");
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsPostgresAsync(Path.Combine(binDirectory, "pg_ctl"), "-D", dataDirectory, "-m", "immediate", "stop");
    }

    private static async Task<int> StartServerAsync(string bin, string data, string socket)
    {
        // A port that was free a moment ago can be taken in between: a few attempts, each on a new port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var options = $"-c listen_addresses=127.0.0.1 -p {port.ToString(CultureInfo.InvariantCulture)} -k {socket}";
            var result = await PostgresServerTools.TryAsPostgresAsync(
                Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "30", "-o", options, "start");
            if (result.ExitCode == 0)
            {
                return port;
            }

            Assert.True(attempt < 3, $"PostgreSQL did not start:\n{result.StandardError}\n{File.ReadAllText(Path.Combine(data, "server.log"))}");
        }
    }

    private static Task AsPostgresAsync(string program, params string[] arguments) => PostgresServerTools.AsPostgresAsync(program, arguments);

    private static Task OwnAsync(string path, string? recursive = null) =>
        recursive is null ? PostgresServerTools.OwnAsync(path) : PostgresServerTools.OwnAsync(recursive, path);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed:\n{result.StandardError}");
    }
}
