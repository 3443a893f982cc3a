using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// The command-line convention both real binaries share (one-line errors, exit codes, <c>--env-file</c>), and the
/// former spellings of grouped verbs, run next to the grouped ones on the same data.
/// </summary>
public sealed class CliConventionTests
{
    [Theory]
    [InlineData("hub")]
    [InlineData("node")]
    public async Task UnknownVerb_EitherBinary_OneLineAndExitOne(string binary)
    {
        var result = await Run(binary, [], "serve-everything");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"lxa-{binary}: ", line, StringComparison.Ordinal);
        Assert.Contains("serve-everything", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("node")]
    public async Task CheckConfig_EnvFile_EitherBinaryReadsItsValues(string binary)
    {
        using var root = new TempDirectory();
        var data = root.Combine("from-env-file");
        var envFile = root.Combine("lxa.env");
        await File.WriteAllTextAsync(envFile, $"ENDOREG_DEPLOYMENT_ROLE=standalone\nLX_ANNOTATE_ENCRYPTED_DATA_DIR={data}\nLX_ANNOTATE_DEFAULT_CENTER=center-a\n");

        var result = await Run(binary, [], "check-config", "--env-file", envFile);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"data root: {data}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("default center: center-a", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormerDataDirVerbs_RunAsTheGroupedVerbs()
    {
        using var root = new TempDirectory();
        using var former = new TempDirectory();
        var environment = Environment(root);
        var old = former.Combine("old-data");
        Directory.CreateDirectory(Path.Combine(old, "import", "video_import"));
        await File.WriteAllTextAsync(Path.Combine(old, "import", "video_import", "a.txt"), "a");

        var tmpfilesOld = await Run("hub", environment, "init-data-dir", "--tmpfiles");
        var tmpfilesNew = await Run("hub", environment, "data-dir", "init", "--tmpfiles");
        var init = await Run("hub", environment, "data-dir", "init");
        var checkOld = await Run("hub", environment, "check", "--json");
        var checkNew = await Run("hub", environment, "data-dir", "check", "--json");
        var migrateOld = await Run("hub", environment, "migrate-data-dir", old, "--merge", "--dry-run");
        var migrateNew = await Run("hub", environment, "data-dir", "migrate", old, "--merge", "--dry-run");

        Assert.True(tmpfilesOld.ExitCode == 0, tmpfilesOld.StandardError);
        Assert.Contains(root.Path, tmpfilesOld.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(tmpfilesOld, tmpfilesNew);
        Assert.True(init.ExitCode == 0, init.StandardError);
        Assert.Equal(checkOld, checkNew);
        Assert.Contains("\"ok\"", checkNew.StandardOutput, StringComparison.Ordinal);
        Assert.True(migrateOld.ExitCode == 0, migrateOld.StandardError);
        Assert.Equal(migrateOld, migrateNew);
        Assert.False(File.Exists(root.Combine("import", "video_import", "a.txt")));
    }

    [Fact]
    public async Task FormerEncryptedVerbs_RunAsTheGroupedVerbs()
    {
        using var root = new TempDirectory();
        var environment = Environment(root);
        environment["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(TestMasterKey.NewKey());
        Assert.Equal(0, (await Run("hub", environment, "migrate")).ExitCode);

        var verifyOld = await Run("hub", environment, "verify-encrypted-storage");
        var verifyNew = await Run("hub", environment, "encrypted", "verify");
        var reencryptOld = await Run("hub", environment, "reencrypt");
        var reencryptNew = await Run("hub", environment, "encrypted", "reencrypt");

        Assert.True(verifyOld.ExitCode == 0, verifyOld.StandardError);
        Assert.True(verifyNew.ExitCode == 0, verifyNew.StandardError);
        Assert.True(reencryptOld.ExitCode == 0, reencryptOld.StandardError);
        Assert.Equal(reencryptOld, reencryptNew);
    }

    [Fact]
    public async Task FormerOptionSpellings_RunAsTheCurrentOnes()
    {
        using var root = new TempDirectory();
        var environment = Environment(root);
        Assert.Equal(0, (await Run("hub", environment, "migrate")).ExitCode);
        Assert.Equal(0, (await Run("hub", environment, "centers", "add", "center-a", "--name", "Klinik A")).ExitCode);

        var addOld = await Run("hub", environment, "nodes", "add", "site-a", "--center", "center-a");
        var addNew = await Run("hub", environment, "nodes", "add", "site-b", "--center-key", "center-a");
        var listOld = await Run("hub", environment, "nodes", "list", "--center", "center-a", "--json");
        var listNew = await Run("hub", environment, "nodes", "list", "--center-key", "center-a", "--json");
        var jobsOld = await Run("hub", environment, "jobs", "list", "--center", "center-a", "--json");
        var jobsNew = await Run("hub", environment, "jobs", "list", "--center-key", "center-a", "--json");
        var keysOld = await Run("hub", environment, "transfer-keys", "generate", "--out-dir", root.Path, "--name", "old");
        var keysNew = await Run("hub", environment, "transfer-keys", "generate", "--output-dir", root.Path, "--name", "new");

        Assert.True(addOld.ExitCode == 0, addOld.StandardError);
        Assert.True(addNew.ExitCode == 0, addNew.StandardError);
        Assert.True(listOld.ExitCode == 0, listOld.StandardError);
        Assert.Equal(listOld, listNew);
        Assert.Contains("site-a", listNew.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("site-b", listNew.StandardOutput, StringComparison.Ordinal);
        Assert.True(jobsOld.ExitCode == 0, jobsOld.StandardError);
        Assert.Equal(jobsOld, jobsNew);
        Assert.True(keysOld.ExitCode == 0, keysOld.StandardError);
        Assert.True(keysNew.ExitCode == 0, keysNew.StandardError);
        Assert.True(File.Exists(root.Combine("old.pub.pem")));
        Assert.True(File.Exists(root.Combine("new.pub.pem")));
    }

    private static Dictionary<string, string?> Environment(TempDirectory root) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
    };

    private static Task<ProcessResult> Run(string binary, Dictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(binary == "hub" ? Binaries.Hub : Binaries.Node, arguments, environment, TimeSpan.FromSeconds(90));
}
