using System.Diagnostics;
using Xunit;

namespace LxAnnotate.TestSupport.Oidc;

/// <summary>
/// <c>npm install oidc-provider@VERSION</c> into a cache folder shared by the test runs of this machine
/// (<c>LXA_TEST_NPM_CACHE</c>, default <c>/var/cache/lxa-test</c>). A lock file keeps test classes running in parallel
/// from installing into the same folder at once; an install is complete once its marker file exists.
/// </summary>
public static class OidcProviderPackage
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <returns>The folder whose <c>node_modules</c> holds the package.</returns>
    public static async Task<string> EnsureInstalledAsync(string version)
    {
        var root = Environment.GetEnvironmentVariable("LXA_TEST_NPM_CACHE") is { Length: > 0 } configured ? configured : "/var/cache/lxa-test";
        var dir = Path.Combine(root, "oidc-provider-" + version);
        var marker = Path.Combine(dir, ".installed");
        if (File.Exists(marker))
        {
            return dir;
        }

        Directory.CreateDirectory(dir);
        await using var held = await LockAsync(Path.Combine(root, "oidc-provider-" + version + ".lock"));
        if (File.Exists(marker))
        {
            return dir;
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "package.json"), "{\"private\":true}\n");
        var install = await ProcessRunner.RunAsync("npm",
            ["install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", "oidc-provider@" + version],
            new Dictionary<string, string?>(), InstallTimeout);
        Assert.True(install.ExitCode == 0, $"npm install oidc-provider@{version} failed:\n{install.StandardError}");
        await File.WriteAllTextAsync(marker, version + "\n");
        return dir;
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (watch.Elapsed < InstallTimeout)
            {
                await Task.Delay(250);
            }
        }
    }
}
