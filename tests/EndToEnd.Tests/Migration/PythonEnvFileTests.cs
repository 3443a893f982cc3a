using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LxAnnotate.EndToEnd.Tests.Migration;

/// <summary>
/// The switch-over acceptance: the original's own <c>deployment_example/.env.systemd.example</c>, with only its paths,
/// the locations of its secrets and its two port numbers adapted to the test machine, runs the real
/// <c>lxa-hub check-config</c>, <c>migrate</c> and <c>serve</c> against a PostgreSQL that requires SSL and a password,
/// and an anonymous PDF upload to the default center is stored encrypted.
/// </summary>
public sealed partial class PythonEnvFileTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task OriginalEnvFile_CheckConfigMigrateServe_AnonymousPdfUploadStoredEncrypted()
    {
        using var root = new TempDirectory();
        File.SetUnixFileMode(root.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        Directory.CreateDirectory(root.Combine("pg"));
        await using var postgres = await SslPostgresCluster.StartAsync(root.Combine("pg"));
        await AssertClusterRefusesPlainAndPasswordlessAsync(postgres);

        var apiPort = FreePort.Next();
        var envFile = WriteAdaptedEnvFile(root, postgres, apiPort);
        var dataRoot = root.Combine("var", "lib", "lx-annotate", "data");

        var check = await HubAsync(envFile, "check-config");
        Assert.True(check.ExitCode == 0, check.StandardError);
        Assert.Contains("role: standalone", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"data root: {dataRoot}", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"database: postgresql://lx_annotate@127.0.0.1:{postgres.Port}/lx_annotate", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("default center: lx-annotate-center", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("encryption: master key configured (+0 retiring) from LX_ANNOTATE_MASTER_KEY_FILE", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("known, not used by LxAnnotate: DJANGO_ALLOWED_HOSTS", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("known, not used by LxAnnotate: TIME_ZONE", check.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(postgres.Password, check.StandardOutput + check.StandardError, StringComparison.Ordinal);

        var migrate = await HubAsync(envFile, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.StandardError);
        var center = await HubAsync(envFile, "centers", "add", "lx-annotate-center", "--name", "LX Annotate");
        Assert.True(center.ExitCode == 0, center.StandardError);

        await using var hub = ChildProcess.StartDotnet(Binaries.Hub, ["serve", "--env-file", envFile], new Dictionary<string, string?>());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var api = new Uri($"http://127.0.0.1:{apiPort}");
        await WaitHealthyAsync(hub, http, api);

        var pdf = PlaintextMarker.Pdf(PlaintextMarker.New(), 64 * 1024);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "report.pdf");
        using var response = await http.PostAsync(new Uri(api, "/api/upload/"), form);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{hub.Output}");
        await AssertStoredEncryptedAsync(postgres, dataRoot, root.Combine("secrets", "master-key"), pdf);
        Assert.DoesNotContain(postgres.Password, hub.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The original's example with its absolute paths moved under <paramref name="root"/>, its secret files written
    /// there, and the two ports (API, database) set to the ports of this test; every other line is the original's.
    /// </summary>
    private static string WriteAdaptedEnvFile(TempDirectory root, SslPostgresCluster postgres, int apiPort)
    {
        var original = File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, "tests", "EndToEnd.Tests", "Migration", "original.env.systemd.example"));
        var secrets = root.Combine("secrets");
        Directory.CreateDirectory(secrets);
        WritePrivate(Path.Combine(secrets, "db-password"), postgres.Password + "\n");
        WritePrivate(Path.Combine(secrets, "master-key"), TestMasterKey.NewEncoded() + "\n");
        WritePrivate(Path.Combine(secrets, "django-secret-key"), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
        WritePrivate(Path.Combine(secrets, "oidc-client-secret"), "not-used-by-lxannotate\n");

        var adapted = original
            .Replace("/run/secrets/lx-annotate", secrets, StringComparison.Ordinal)
            .Replace("/var/lib/lx-annotate", root.Combine("var", "lib", "lx-annotate"), StringComparison.Ordinal)
            .Replace("/home/lx-annotate", root.Combine("home", "lx-annotate"), StringComparison.Ordinal);
        adapted = DjangoPortLine().Replace(adapted, $"DJANGO_PORT={apiPort.ToString(CultureInfo.InvariantCulture)}");
        adapted = DbPortLine().Replace(adapted, $"DJANGO_DB_PORT={postgres.Port.ToString(CultureInfo.InvariantCulture)}");

        // Only the lines that name a path, a secret's location or a port changed; the variables are the original's.
        var before = original.Split('\n');
        var after = adapted.Split('\n');
        Assert.Equal(before.Length, after.Length);
        Assert.All(before.Zip(after).Where(pair => pair.First != pair.Second), pair => Assert.Matches("^(DJANGO_PORT|DJANGO_DB_PORT|[A-Z_]*(DIR|ROOT|HOME|_FILE))=", pair.First));

        var path = root.Combine("var", "lib", "lx-annotate", ".env.systemd");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, adapted);
        return path;
    }

    private static async Task AssertClusterRefusesPlainAndPasswordlessAsync(SslPostgresCluster postgres)
    {
        var plain = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SslMode = SslMode.Disable }.ConnectionString;
        var noPassword = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Password = null }.ConnectionString;
        foreach (var refused in new[] { plain, noPassword })
        {
            await using var connection = new NpgsqlConnection(refused);
            await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());
        }

        await using var good = new NpgsqlConnection(postgres.ConnectionString);
        await good.OpenAsync();
    }

    private static async Task AssertStoredEncryptedAsync(SslPostgresCluster postgres, string dataRoot, string masterKeyFile, byte[] pdf)
    {
        await using var db = DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, postgres.ConnectionString, "e2e"));
        var job = await db.UploadJobs.SingleAsync();
        Assert.EndsWith(".lxenc", job.StoragePath, StringComparison.Ordinal);
        var stored = Path.Combine(dataRoot, "storage", job.StoragePath);
        var magic = new byte[7];
        await using (var stream = File.OpenRead(stored))
        {
            await stream.ReadExactlyAsync(magic);
        }

        Assert.Equal("LXENC01"u8.ToArray(), magic);
        var key = Convert.FromBase64String(File.ReadAllText(masterKeyFile).Trim().Replace('-', '+').Replace('_', '/'));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
        Assert.Equal(sha256, job.ContentHash);
        Assert.Equal(sha256, await EncryptedFile.Sha256Async(stored, new MasterKeyRing(key), pdf.Length));
        var center = await db.Centers.SingleAsync(c => c.Id == job.SourceCenterId);
        Assert.Equal("lx-annotate-center", center.CenterKey);
    }

    private static async Task WaitHealthyAsync(ChildProcess hub, HttpClient http, Uri api)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            Assert.False(hub.HasExited, $"lxa-hub serve exited:\n{hub.Output}");
            try
            {
                using var health = await http.GetAsync(new Uri(api, "/healthz"));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"lxa-hub serve did not become healthy:\n{hub.Output}");
            await Task.Delay(100);
        }
    }

    private static Task<ProcessResult> HubAsync(string envFile, params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(Binaries.Hub, [.. arguments, "--env-file", envFile], new Dictionary<string, string?>(), StepTimeout);

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [GeneratedRegex("^DJANGO_PORT=.*$", RegexOptions.Multiline)]
    private static partial Regex DjangoPortLine();

    [GeneratedRegex("^DJANGO_DB_PORT=.*$", RegexOptions.Multiline)]
    private static partial Regex DbPortLine();
}
