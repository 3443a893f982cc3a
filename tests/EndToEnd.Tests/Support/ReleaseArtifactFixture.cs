using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// The release artifact the deploy tests install: <c>LXA_TEST_RELEASE_ARTIFACT</c> when the test script built it
/// already, else built once here with <c>deploy/build-release.sh</c> (a self-contained publish, a few minutes).
/// </summary>
public sealed class ReleaseArtifactFixture : IAsyncLifetime, IDisposable
{
    public const string EnvironmentVariable = "LXA_TEST_RELEASE_ARTIFACT";

    private TempDirectory? buildOutput;

    public string Artifact { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } prebuilt)
        {
            Assert.True(File.Exists(prebuilt), $"{EnvironmentVariable}={prebuilt} does not exist");
            Artifact = prebuilt;
            return;
        }

        buildOutput = new TempDirectory();
        var build = await ProcessRunner.RunAsync(
            "bash",
            [Path.Combine(Binaries.RepositoryRoot, "deploy", "build-release.sh"), "--output", buildOutput.Path, "--version", "test-build"],
            new Dictionary<string, string?>(),
            TimeSpan.FromMinutes(15));
        Assert.True(build.ExitCode == 0, $"build-release.sh failed:\n{build.StandardOutput}\n{build.StandardError}");
        Artifact = build.StandardOutput.Trim().Split('\n')[^1];
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => buildOutput?.Dispose();
}
