using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// The PostgreSQL server programs for the clusters a test runs itself. <c>initdb</c> and the server refuse root: when
/// the tests run as root the programs run as the <c>postgres</c> user, and the directories they use are given to it.
/// </summary>
internal static class PostgresServerTools
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The server's <c>bin</c> folder (initdb, pg_ctl, pg_basebackup, psql), of the newest version installed.</summary>
    public static string Bin { get; } =
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending(StringComparer.Ordinal).FirstOrDefault()
        ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/test.sh installs them)");

    /// <summary>Runs <paramref name="program"/> (a path, or a name in <see cref="Bin"/>) as the postgres user when root.</summary>
    public static Task<ProcessResult> TryAsPostgresAsync(string program, params string[] arguments)
    {
        var path = Path.IsPathRooted(program) ? program : Path.Combine(Bin, program);
        return IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], new Dictionary<string, string?>(), Timeout)
            : ProcessRunner.RunAsync(path, arguments, new Dictionary<string, string?>(), Timeout);
    }

    public static async Task AsPostgresAsync(string program, params string[] arguments)
    {
        var result = await TryAsPostgresAsync(program, arguments);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed:\n{result.StandardOutput}{result.StandardError}");
    }

    /// <summary>Gives <paramref name="paths"/> to the postgres user when root (<c>-R</c> first for a whole tree).</summary>
    public static async Task OwnAsync(params string[] paths)
    {
        if (!IsRoot)
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("chown", [.. paths.Where(p => p == "-R"), "postgres:postgres", .. paths.Where(p => p != "-R")], new Dictionary<string, string?>(), Timeout);
        Assert.True(result.ExitCode == 0, $"chown {string.Join(' ', paths)} failed:\n{result.StandardError}");
    }
}
