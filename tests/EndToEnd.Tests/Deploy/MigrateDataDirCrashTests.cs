using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Deploy;

/// <summary>The real <c>lxa-hub migrate-data-dir</c> killed (SIGKILL) in the middle of a full migration, then run again.</summary>
public sealed class MigrateDataDirCrashTests
{
    private const long BigFileBytes = 256L * 1024 * 1024;

    [Fact]
    public async Task MigrateDataDir_KilledMidCopy_SourceIntactAndRerunCompletes()
    {
        using var temp = new TempDirectory();
        var source = temp.Combine("old-data");
        var target = temp.Combine("lx-annotate");
        Directory.CreateDirectory(Path.Combine(source, "storage", "centers", "a"));
        Directory.CreateDirectory(target);
        var big = Path.Combine(source, "storage", "centers", "a", "a-big.mp4");
        await using (var stream = File.Create(big))
        {
            var block = new byte[1024 * 1024];
            for (var i = 0; i < BigFileBytes / block.Length; i++)
            {
                block[0] = (byte)i;
                await stream.WriteAsync(block);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(source, "storage", "centers", "a", "b-report.pdf"), "%PDF-1.7 small");
        var sourceHashes = Hashes(source);
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = target,
        };

        await using (var first = ChildProcess.StartDotnet(Binaries.Hub, ["migrate-data-dir", source], environment))
        {
            var copy = Path.Combine(target, "storage", "centers", "a", "a-big.mp4");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(copy))
            {
                Assert.False(first.HasExited, $"migrate-data-dir ended before the copy began:\n{first.Output}");
                Assert.True(DateTime.UtcNow < deadline, "the copy did not begin within 60 s");
                await Task.Delay(5);
            }

            await first.KillAsync();
        }

        Assert.False(File.Exists(Path.Combine(target, ".migration-complete")), "the migration finished before it could be interrupted");
        Assert.True(File.Exists(Path.Combine(target, ".migration-in-progress")));
        Assert.Equal(sourceHashes, Hashes(source));

        var second = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate-data-dir", source], environment, TimeSpan.FromMinutes(3));

        Assert.True(second.ExitCode == 0, second.StandardError + second.StandardOutput);
        Assert.Contains("resuming the migration", second.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(source));
        var backup = Assert.Single(Directory.GetDirectories(temp.Path, "old-data.migration-backup-*"));
        Assert.Equal(sourceHashes, Hashes(backup));
        Assert.Equal(sourceHashes, Hashes(target));
        Assert.True(File.Exists(Path.Combine(target, ".migration-complete")));
        Assert.False(File.Exists(Path.Combine(target, ".migration-in-progress")));
    }

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".migration-", StringComparison.Ordinal))
            .ToDictionary(
                f => Path.GetRelativePath(root, f),
                f =>
                {
                    using var stream = File.OpenRead(f);
                    return Convert.ToHexString(SHA256.HashData(stream));
                });
}
