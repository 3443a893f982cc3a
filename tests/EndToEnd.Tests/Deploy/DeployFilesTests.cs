using System.Globalization;
using System.Text.RegularExpressions;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Deploy;

/// <summary>The files in <c>deploy/</c> agree with the code: runtime tree, variables, units, scripts.</summary>
public sealed partial class DeployFilesTests
{
    private const string HostRoot = "/var/lib/lx-annotate";

    /// <summary>Directories in the tmpfiles tree that the node creates itself (outbox beside the drop folders).</summary>
    private static readonly string[] NodeDirectories = ["node", "node/outbox"];

    /// <summary>
    /// UPPER_SNAKE string literals in src/ that are not configuration variables. A new literal of that shape is
    /// either a variable (then document it in deploy/.env.systemd.example) or belongs here, with a reason.
    /// </summary>
    private static readonly Dictionary<string, string> NotConfiguration = new(StringComparer.Ordinal)
    {
        ["SUDO_USER"] = "operator identity for audit events, set by sudo",
        ["NODE_KEY"] = "name of a command-line argument",
        ["OMP_THREAD_LIMIT"] = "set by the hub for the Tesseract child process only",
        ["LXA_IMPORT_PYTHON_TEST_PAUSE_AFTER"] = "a test hook of import-python (pauses between a job's files and its rows), not for operators",
        ["SSL_CERT_FILE"] = "set (not read) by lxa-node for its own process, so it never loads the system trust store",
        ["SSL_CERT_DIR"] = "set (not read) by lxa-node for its own process, so it never loads the system trust store",
    };

    private static string Deploy => Path.Combine(Binaries.RepositoryRoot, "deploy");

    [Fact]
    public void TmpfilesConf_EveryDataPathOfTheCode_IsCreatedWithTheCodesMode()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("root");
        var paths = RuntimeSettingsResolver.Resolve(name => name switch
        {
            "ENDOREG_DEPLOYMENT_ROLE" => "standalone",
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR" => root,
            _ => null,
        }).Paths;
        paths.EnsureCreated();
        var declared = TmpfilesDirectories();

        var expected = typeof(DataPaths).GetProperties()
            .Where(p => p.PropertyType == typeof(string))
            .ToDictionary(p => p.Name, p => (string)p.GetValue(paths)!);
        Assert.Contains("SapImportProcessed", expected.Keys);
        foreach (var (name, path) in expected)
        {
            var relative = Path.GetRelativePath(root, path);
            var hostPath = relative == "." ? HostRoot : HostRoot + "/" + relative.Replace('\\', '/');
            Assert.True(declared.TryGetValue(hostPath, out var mode), $"tmpfiles.d/lx-annotate.conf lacks {hostPath} (DataPaths.{name})");
            var codeMode = Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
            Assert.True(codeMode == mode, $"{hostPath} (DataPaths.{name}): tmpfiles mode {mode}, the code creates it {codeMode}");
        }

        var known = expected.Values.Concat(DataTreeLayout.Entries(paths).Select(e => e.Path))
            .Select(p => Path.GetRelativePath(root, p)).Select(r => r == "." ? HostRoot : HostRoot + "/" + r)
            .Concat(NodeDirectories.Select(d => HostRoot + "/" + d))
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(declared.Keys, d => Assert.True(known.Contains(d), $"tmpfiles.d/lx-annotate.conf creates {d}, which no code uses"));
    }

    [Fact]
    public async Task TmpfilesConf_HoldsEveryLineOfTheHubsOwnLayout()
    {
        // `lxa-hub init-data-dir --tmpfiles` prints the tree the hub checks and creates (DataTreeLayout),
        // including folders that are no DataPaths property (storage/centers).
        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["init-data-dir", "--tmpfiles"], new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = HostRoot,
        });
        Assert.True(result.ExitCode == 0, result.StandardError);
        var generated = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("d ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var declared = TmpfilesDirectories();

        Assert.Contains(generated, l => l[1] == HostRoot + "/storage/centers");
        Assert.All(generated, line => Assert.True(declared.TryGetValue(line[1], out var mode) && mode == line[2],
            $"tmpfiles.d/lx-annotate.conf should hold '{string.Join(' ', line)}'"));
    }

    [Fact]
    public void TmpfilesConf_ImportFolders_AreDropZonesOwnedByTheServiceUser()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "tmpfiles.d", "lx-annotate.conf"))
            .Where(l => l.StartsWith("d ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var folder in new[] { "video_import", "report_import", "preanonymized_import", "sap_import", "sap_import_processed", "sap_import_failed" })
        {
            var line = Assert.Single(lines, l => l[1] == $"{HostRoot}/import/{folder}");
            Assert.Equal(["0770", "lx-annotate", "lx-annotate", "-"], line[2..]);
        }

        Assert.All(lines, l => Assert.Equal("lx-annotate", l[3]));
    }

    [Fact]
    public void EnvExample_EveryVariableTheCodeReads_IsDocumented()
    {
        var documented = ExampleVariables().Keys.ToHashSet(StringComparer.Ordinal);
        var read = VariablesReadByCode();
        Assert.True(read.Count > 40, $"the source scan found only {read.Count} variables; is the pattern still right?");

        var missing = read.Keys.Where(v => !documented.Contains(v)).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            missing.Count == 0,
            "deploy/.env.systemd.example lacks variables the code reads (document each with a comment, or add a non-variable literal to " +
            $"{nameof(DeployFilesTests)}.{nameof(NotConfiguration)}): " + string.Join(", ", missing.Select(v => $"{v} ({read[v]})")));
    }

    [Fact]
    public void EnvExample_EveryVariable_IsReadByCodeOrDeployFilesAndHasAComment()
    {
        var read = VariablesReadByCode().Keys.ToHashSet(StringComparer.Ordinal);
        var deployText = string.Join('\n', Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".env.systemd.example", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        foreach (var (variable, commented) in ExampleVariables())
        {
            Assert.True(
                read.Contains(variable) || Regex.IsMatch(deployText, $@"\b{variable}\b"),
                $"deploy/.env.systemd.example documents {variable}, which neither the code nor a deploy script reads");
            Assert.True(commented, $"{variable} in deploy/.env.systemd.example has no comment above it");
        }
    }

    [Fact]
    public async Task SystemdUnits_VerifyCleanly()
    {
        using var temp = new TempDirectory();
        var root = temp.Path;

        // verify resolves ExecStart= and the default dependencies inside --root: give it the host's unit library and
        // the two programs (placeholders) at the paths the units name.
        var library = Path.Combine(root, "usr", "lib", "systemd", "system");
        Directory.CreateDirectory(library);
        var copy = await ProcessRunner.RunAsync("cp", ["-a", "/usr/lib/systemd/system/.", library], new Dictionary<string, string?>());
        Assert.True(copy.ExitCode == 0, "systemd's unit library is missing (install the systemd package): " + copy.StandardError);
        foreach (var program in new[] { "hub/lxa-hub", "node/lxa-node" })
        {
            var path = Path.Combine(root, "opt", "lx-annotate", "current", program);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, "#!/bin/sh\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var unitDir = Path.Combine(root, "etc", "systemd", "system");
        Directory.CreateDirectory(unitDir);
        var units = Directory.GetFiles(Path.Combine(Deploy, "systemd")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["lx-annotate-data-recovery.service", "lx-annotate-hub.service", "lx-annotate-hub@.service", "lx-annotate-sap-import.path", "lx-annotate-sap-import.service", "lx-annotate-watcher.service", "lx-annotate-worker.service"],
            units.Select(Path.GetFileName));
        foreach (var unit in units)
        {
            File.Copy(unit, Path.Combine(unitDir, Path.GetFileName(unit)));
        }

        var verify = await ProcessRunner.RunAsync(
            "systemd-analyze",
            ["verify", "--man=no", $"--root={root}", .. units.Select(u => Path.Combine(unitDir, Path.GetFileName(u)))],
            new Dictionary<string, string?>(),
            TimeSpan.FromSeconds(60));

        Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0, $"systemd-analyze verify (exit {verify.ExitCode}):\n{verify.StandardError}{verify.StandardOutput}");
    }

    [Fact]
    public void SystemdServices_AreHardenedAndReadTheEnvFile()
    {
        foreach (var unit in Directory.GetFiles(Path.Combine(Deploy, "systemd"), "*.service"))
        {
            var keys = File.ReadAllLines(unit).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
                .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
            var name = Path.GetFileName(unit);
            // A replica instance (a template unit) reads its own overrides after the shared file.
            var environmentFiles = File.ReadAllLines(unit).Where(l => l.StartsWith("EnvironmentFile=", StringComparison.Ordinal)).Select(l => l["EnvironmentFile=".Length..]).ToList();
            Assert.Equal(
                name.Contains('@', StringComparison.Ordinal) ? ["/var/lib/lx-annotate/.env.systemd", "/var/lib/lx-annotate/.env.hub-%i"] : ["/var/lib/lx-annotate/.env.systemd"],
                environmentFiles);
            Assert.Equal("lx-annotate", keys.GetValueOrDefault("User"));
            Assert.Equal("true", keys.GetValueOrDefault("NoNewPrivileges"));
            Assert.Equal("true", keys.GetValueOrDefault("PrivateTmp"));
            Assert.Equal("strict", keys.GetValueOrDefault("ProtectSystem"));
            Assert.Equal("true", keys.GetValueOrDefault("ProtectHome"));
            Assert.True(keys.GetValueOrDefault("ReadWritePaths") == HostRoot, $"{name}: ReadWritePaths must be the runtime root only");
            Assert.StartsWith("/opt/lx-annotate/current/", keys["ExecStart"], StringComparison.Ordinal);
            if (keys["Type"] != "oneshot")
            {
                Assert.True(keys.GetValueOrDefault("Restart") == "on-failure", $"{name}: Restart=on-failure");
            }
        }

        Assert.Contains("Type=notify", File.ReadAllText(Path.Combine(Deploy, "systemd", "lx-annotate-hub.service")), StringComparison.Ordinal);
        Assert.Contains("Type=notify", File.ReadAllText(Path.Combine(Deploy, "systemd", "lx-annotate-hub@.service")), StringComparison.Ordinal);
        Assert.Contains("Environment=LXA_HUB_REPLICA_ID=%i", File.ReadAllText(Path.Combine(Deploy, "systemd", "lx-annotate-hub@.service")), StringComparison.Ordinal);
        Assert.Contains("MemoryMax=", File.ReadAllText(Path.Combine(Deploy, "systemd", "lx-annotate-worker.service")), StringComparison.Ordinal);
        Assert.Contains("MemoryMax=", File.ReadAllText(Path.Combine(Deploy, "systemd", "lx-annotate-watcher.service")), StringComparison.Ordinal);
        Assert.Contains($"DirectoryNotEmpty={HostRoot}/import/sap_import", File.ReadAllText(Path.Combine(Deploy, "systemd", "lx-annotate-sap-import.path")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployScripts_ParseAndNeverTrace()
    {
        var scripts = Directory.GetFiles(Deploy, "*.sh", SearchOption.AllDirectories);
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            var text = await File.ReadAllTextAsync(script);
            Assert.False(TraceRegex().IsMatch(text), $"{script} turns on shell tracing, which would print secrets");
            var syntax = await ProcessRunner.RunAsync("bash", ["-n", script], new Dictionary<string, string?>());
            Assert.True(syntax.ExitCode == 0, $"{script}: {syntax.StandardError}");
        }
    }

    /// <summary>Host path → mode of every <c>d</c> line.</summary>
    private static Dictionary<string, string> TmpfilesDirectories() =>
        File.ReadAllLines(Path.Combine(Deploy, "tmpfiles.d", "lx-annotate.conf"))
            .Where(l => l.StartsWith("d ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[1], p => p[2], StringComparer.Ordinal);

    /// <summary>Variable → whether a comment (not a commented-out variable) precedes it within its block.</summary>
    private static Dictionary<string, bool> ExampleVariables()
    {
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(Deploy, ".env.systemd.example"));
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ExampleVariableRegex().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var commented = false;
            for (var j = i - 1; j >= 0 && lines[j].Trim().Length > 0; j--)
            {
                if (!ExampleVariableRegex().IsMatch(lines[j]))
                {
                    commented = lines[j].StartsWith('#');
                    break;
                }
            }

            Assert.True(result.TryAdd(match.Groups[1].Value, commented), $"{match.Groups[1].Value} appears twice in deploy/.env.systemd.example");
        }

        return result;
    }

    /// <summary>
    /// Every UPPER_SNAKE string literal in src/ (migrations and generated code left out) → a file that has it:
    /// the code reads its variables by name, so a variable added anywhere shows up here.
    /// </summary>
    private static Dictionary<string, string> VariablesReadByCode()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var src = Path.Combine(Binaries.RepositoryRoot, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            // The catalogue of the original's variables names every one of them, used or not: docs/migration.md has them.
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal) ||
                relative.Contains("/Migrations/", StringComparison.Ordinal) || relative == "Hub/Configuration/PythonEnvironmentCatalog.cs")
            {
                continue;
            }

            foreach (Match match in LiteralRegex().Matches(File.ReadAllText(file)))
            {
                var name = match.Groups[1].Value;
                if (!NotConfiguration.ContainsKey(name))
                {
                    found.TryAdd(name, relative);
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""")]
    private static partial Regex LiteralRegex();

    [GeneratedRegex(@"^#?([A-Z][A-Z0-9_]*)=")]
    private static partial Regex ExampleVariableRegex();

    [GeneratedRegex(@"^\s*set\s+(-[a-wyzA-Z]*x|-o\s+xtrace)", RegexOptions.Multiline)]
    private static partial Regex TraceRegex();
}
