using System.Security.Cryptography;
using System.Text;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The encrypted-storage commands of the real <c>lxa-hub</c> binary, and start-up without a master key.</summary>
public sealed class EncryptedStorageCliTests
{
    private static readonly string PythonScript = Path.Combine(Binaries.RepositoryRoot, "tests", "Hub.Tests", "Storage", "Encryption", "interop", "lxenc01.py");

    [Fact]
    public async Task EncryptedPutThenCat_WholeAndRange_ReturnPlaintextAndPythonReadsIt()
    {
        using var root = new TempDirectory();
        var key = TestMasterKey.NewKey();
        var environment = Environment(root, key);
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i:D4} of the operator's report\n"));
        var source = root.Combine("report.txt");
        await File.WriteAllTextAsync(source, text);
        var encrypted = root.Combine("report.txt.lxenc");

        var put = await Hub(environment, "encrypted", "put", source, encrypted, "--chunk-size", "1000");
        var cat = await Hub(environment, "encrypted", "cat", encrypted);
        var range = await Hub(environment, "encrypted", "cat", encrypted, "--range", "990-2010");
        var python = await ProcessRunner.RunAsync("/usr/bin/python3", [PythonScript, "decrypt", KeyFile(root, key), encrypted, "-"], new Dictionary<string, string?>());

        Assert.True(put.ExitCode == 0, put.StandardError);
        Assert.True(LxEnc01.IsEncryptedFile(encrypted));
        Assert.DoesNotContain("operator's report", await File.ReadAllTextAsync(encrypted), StringComparison.Ordinal);
        Assert.Equal(text, cat.StandardOutput);
        Assert.Equal(text[990..2011], range.StandardOutput);
        Assert.True(python.ExitCode == 0, python.StandardError);
        Assert.Equal(text, python.StandardOutput);
    }

    [Fact]
    public async Task EncryptedCat_PythonWrittenFile_Decrypts()
    {
        using var root = new TempDirectory();
        var key = TestMasterKey.NewKey();
        var source = root.Combine("sidecar.json");
        await File.WriteAllTextAsync(source, "{\"examination\":\"colonoscopy\",\"frames\":" + new string('7', 5000) + "}");
        var encrypted = root.Combine("sidecar.json.lxenc");
        var python = await ProcessRunner.RunAsync("/usr/bin/python3", [PythonScript, "encrypt", KeyFile(root, key), source, encrypted, "--chunk-size", "512"], new Dictionary<string, string?>());
        Assert.True(python.ExitCode == 0, python.StandardError);

        var cat = await Hub(Environment(root, key), "encrypted", "cat", encrypted);

        Assert.True(cat.ExitCode == 0, cat.StandardError);
        Assert.Equal(await File.ReadAllTextAsync(source), cat.StandardOutput);
    }

    [Fact]
    public async Task EncryptedCat_WrongKeyOrTampered_ExitsOneWithOneLine()
    {
        using var root = new TempDirectory();
        var key = TestMasterKey.NewKey();
        var source = root.Combine("a.txt");
        await File.WriteAllTextAsync(source, new string('a', 3000));
        var encrypted = root.Combine("a.lxenc");
        Assert.Equal(0, (await Hub(Environment(root, key), "encrypted", "put", source, encrypted)).ExitCode);

        var wrongKey = await Hub(Environment(root, TestMasterKey.NewKey()), "encrypted", "cat", encrypted);
        var bytes = await File.ReadAllBytesAsync(encrypted);
        bytes[^3] ^= 1;
        await File.WriteAllBytesAsync(encrypted, bytes);
        var tampered = await Hub(Environment(root, key), "encrypted", "cat", encrypted);

        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("No configured master key", Assert.Single(wrongKey.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("failed authentication", Assert.Single(tampered.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("", tampered.StandardOutput);
    }

    [Fact]
    public async Task VerifyEncryptedStorage_WithKey_PassesAndLeavesNoProbe()
    {
        using var root = new TempDirectory();

        var result = await Hub(Environment(root, TestMasterKey.NewKey()), "verify-encrypted-storage");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("encrypted storage OK", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(root.Path, "*verify-encrypted-storage*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CheckConfig_WithKey_ReportsEncryptionWithoutKeyMaterial()
    {
        using var root = new TempDirectory();
        var key = TestMasterKey.NewKey();

        var result = await Hub(Environment(root, key), "check-config");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("encryption: master key configured (+0 retiring)", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(TestMasterKey.Encode(key), result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyEncryptedStorage_WithoutKey_ExitsTwoWithOneLine()
    {
        using var root = new TempDirectory();

        var result = await Hub(Environment(root, key: null), "verify-encrypted-storage");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("lxa-hub: LX_ANNOTATE_MASTER_KEY_FILE: no master key is configured", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_CentralHubWithoutMasterKey_ExitsTwoWithOneLine()
    {
        using var root = new TempDirectory();
        var environment = Environment(root, key: null);
        environment["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub";
        environment["DATABASE_URL"] = "postgres://lxa:pw@127.0.0.1:1/lxa";
        environment["LXA_HUB_API_URL"] = "http://127.0.0.1:0";
        environment["LXA_HUB_TRANSFER_URL"] = "off";
        environment["OIDC_ISSUER"] = "https://idp.test/realms/lx";
        environment["OIDC_AUDIENCE"] = "lx-annotate";
        environment["OIDC_JWKS_URL"] = "https://idp.test/jwks";

        var result = await Hub(environment, "serve");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("lxa-hub: LX_ANNOTATE_MASTER_KEY_FILE: central_hub requires encrypted storage", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_GroupReadableKeyFile_ExitsTwoNamingTheFile()
    {
        using var root = new TempDirectory();
        var keyFile = KeyFile(root, TestMasterKey.NewKey());
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var environment = Environment(root, key: null);
        environment["LX_ANNOTATE_MASTER_KEY_FILE"] = keyFile;
        environment["LXA_HUB_API_URL"] = "http://127.0.0.1:0";

        var result = await Hub(environment, "serve");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"lxa-hub: LX_ANNOTATE_MASTER_KEY_FILE: key file '{keyFile}' must not be group- or world-accessible (chmod 600)", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Reencrypt_PlaintextReportAndRetiringKeyFile_DryRunListsApplyRewrites()
    {
        using var root = new TempDirectory();
        var oldKey = TestMasterKey.NewKey();
        var newKey = TestMasterKey.NewKey();
        var storage = root.Combine("storage", "centers", "center-a", "ab");
        Directory.CreateDirectory(storage);
        var marker = "REPORT-MARKER-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var report = Path.Combine(storage, "ab01.pdf");
        await File.WriteAllTextAsync(report, "%PDF-1.4 " + marker);
        var video = Path.Combine(storage, "ab02.mp4");
        await File.WriteAllBytesAsync(video, RandomNumberGenerator.GetBytes(100));
        var sidecarPlain = root.Combine("sidecar.json");
        await File.WriteAllTextAsync(sidecarPlain, "{\"k\":1}");
        var sidecar = Path.Combine(storage, "ab03.json.lxenc");
        Assert.Equal(0, (await Hub(Environment(root, oldKey), "encrypted", "put", sidecarPlain, sidecar)).ExitCode);
        var rotated = Environment(root, newKey);
        rotated["LX_ANNOTATE_MASTER_KEY_RETIRING_FILES"] = KeyFile(root, oldKey, "old.key");
        Assert.Equal(0, (await Hub(rotated, "migrate")).ExitCode);

        var dryRun = await Hub(rotated, "reencrypt");
        var apply = await Hub(rotated, "reencrypt", "--apply");
        var again = await Hub(rotated, "reencrypt");

        Assert.True(dryRun.ExitCode == 0, dryRun.StandardError);
        Assert.Contains("plaintext centers/center-a/ab/ab01.pdf", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("retiring-key centers/center-a/ab/ab03.json.lxenc", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ab02.mp4", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 file(s) to rewrite", dryRun.StandardOutput, StringComparison.Ordinal);

        Assert.True(apply.ExitCode == 0, apply.StandardOutput + apply.StandardError);
        Assert.False(File.Exists(report));
        Assert.True(LxEnc01.IsEncryptedFile(report + ".lxenc"));
        using (var reader = LxEnc01ReadStream.OpenFile(report + ".lxenc", new MasterKeyRing(newKey)))
        {
            var plaintext = new byte[reader.Length];
            reader.ReadExactly(plaintext);
            Assert.Equal("%PDF-1.4 " + marker, Encoding.ASCII.GetString(plaintext));
        }

        using (var reader = LxEnc01ReadStream.OpenFile(sidecar, new MasterKeyRing(newKey)))
        {
            Assert.Equal(0, reader.KeyIndex);
        }

        Assert.Contains("0 file(s) to rewrite", again.StandardOutput, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root.Combine("storage"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(marker, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, string?> Environment(TempDirectory root, byte[]? key) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
        ["LX_ANNOTATE_MASTER_KEY"] = key is null ? null : TestMasterKey.Encode(key),
    };

    private static string KeyFile(TempDirectory root, byte[] key, string name = "master.key")
    {
        var path = root.Combine(name);
        File.WriteAllText(path, TestMasterKey.Encode(key) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static Task<ProcessResult> Hub(Dictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(Binaries.Hub, arguments, environment, TimeSpan.FromSeconds(90));
}
