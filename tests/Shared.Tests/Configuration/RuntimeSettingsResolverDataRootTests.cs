using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class RuntimeSettingsResolverDataRootTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Resolve_CanonicalRootSet_DerivesWholeTree()
    {
        string root = _temp.Combine("data");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
        }).Paths;

        string import = Path.Join(root, "import");
        Assert.Equal(
            new DataPaths(
                Root: root,
                StorageDir: Path.Join(root, "storage"),
                ImportRoot: import,
                VideoImport: Path.Join(import, "video_import"),
                ReportImport: Path.Join(import, "report_import"),
                PreanonymizedImport: Path.Join(import, "preanonymized_import"),
                SapImport: Path.Join(import, "sap_import"),
                SapImportProcessed: Path.Join(import, "sap_import_processed"),
                SapImportFailed: Path.Join(import, "sap_import_failed"),
                QuarantineDir: Path.Join(root, "quarantine"),
                LogsDir: Path.Join(root, "logs"),
                RunDir: Path.Join(root, "run"),
                IncomingDir: Path.Join(root, "storage", "incoming")),
            paths);
    }

    [Theory]
    [InlineData("LX_ANNOTATE_DATA_DIR")]
    [InlineData("DATA_DIR")]
    public void Resolve_OnlyAliasSet_AliasIsRoot(string alias)
    {
        string root = _temp.Combine("data");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?> { [alias] = root }).Paths;

        Assert.Equal(root, paths.Root);
    }

    [Fact]
    public void Resolve_AllThreeNamesEqual_Succeeds()
    {
        string root = _temp.Combine("data");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
            ["LX_ANNOTATE_DATA_DIR"] = root,
            ["DATA_DIR"] = root,
        }).Paths;

        Assert.Equal(root, paths.Root);
    }

    [Fact]
    public void Resolve_AliasWithTrailingSlash_Succeeds()
    {
        string root = _temp.Combine("data");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
            ["LX_ANNOTATE_DATA_DIR"] = root + "/",
            ["DATA_DIR"] = root + "//",
        }).Paths;

        Assert.Equal(root, paths.Root);
    }

    [Fact]
    public void Resolve_CanonicalWithTrailingSlash_RootIsNormalized()
    {
        string root = _temp.Combine("data");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root + "/",
        }).Paths;

        Assert.Equal(root, paths.Root);
        Assert.Equal(Path.Join(root, "storage"), paths.StorageDir);
    }

    [Fact]
    public void Resolve_AliasSpelledThroughSymlinkToSameDirectory_Succeeds()
    {
        string real = _temp.CreateDirectory("real");
        string link = _temp.Combine("link");
        Directory.CreateSymbolicLink(link, real);

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = real,
            ["LX_ANNOTATE_DATA_DIR"] = link + "/",
            ["DATA_DIR"] = link,
        }).Paths;

        Assert.Equal(real, paths.Root);
    }

    [Fact]
    public void Resolve_AliasWithDotDotToSameDirectory_Succeeds()
    {
        string root = _temp.CreateDirectory("data");
        _temp.CreateDirectory("other");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
            ["DATA_DIR"] = _temp.Combine("other", "..", "data"),
        }).Paths;

        Assert.Equal(root, paths.Root);
    }

    [Fact]
    public void Resolve_AliasDiffers_ThrowsNamingConflict()
    {
        string a = _temp.Combine("a");
        string b = _temp.Combine("b");

        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = b,
            ["LX_ANNOTATE_DATA_DIR"] = a,
        });

        Assert.Equal("LX_ANNOTATE_DATA_DIR", ex.VariableName);
        Assert.Equal(
            $"LX_ANNOTATE_DATA_DIR: '{a}' differs from LX_ANNOTATE_ENCRYPTED_DATA_DIR '{b}'; aliases must name the same directory",
            ex.Message);
    }

    [Fact]
    public void Resolve_LegacyAliasDiffersFromDataDirAlias_ThrowsNamingBoth()
    {
        string a = _temp.Combine("a");
        string b = _temp.Combine("b");

        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_DATA_DIR"] = a,
            ["DATA_DIR"] = b,
        });

        Assert.Equal("DATA_DIR", ex.VariableName);
        Assert.Equal(
            $"DATA_DIR: '{b}' differs from LX_ANNOTATE_DATA_DIR '{a}'; aliases must name the same directory",
            ex.Message);
    }

    [Fact]
    public void Resolve_AliasIsSymlinkToOtherDirectory_Throws()
    {
        string root = _temp.CreateDirectory("data");
        string other = _temp.CreateDirectory("other");
        string link = _temp.Combine("looks-like-data");
        Directory.CreateSymbolicLink(link, other);

        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
            ["DATA_DIR"] = link,
        });

        Assert.Equal("DATA_DIR", ex.VariableName);
    }

    [Fact]
    public void Resolve_NothingSetOnCentralHub_ThrowsNamingCanonicalVariable()
    {
        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?> { ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub" });

        Assert.Equal("LX_ANNOTATE_ENCRYPTED_DATA_DIR", ex.VariableName);
        Assert.StartsWith("LX_ANNOTATE_ENCRYPTED_DATA_DIR: required on central_hub", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NothingSet_FallsBackToXdgDataHomeAsTheOriginal()
    {
        string xdg = _temp.Combine("xdg");

        LxaRuntimeSettings settings = TestEnvironment.Resolve(new Dictionary<string, string?> { ["XDG_DATA_HOME"] = xdg });

        Assert.Equal(Path.Join(xdg, "lx-annotate"), settings.Paths.Root);
        Assert.Equal(Path.Join(xdg, "lx-annotate", "storage"), settings.Paths.StorageDir);
        Assert.Equal("XDG_DATA_HOME", settings.DataRootSource);
    }

    [Fact]
    public void Resolve_NothingSetNoXdg_FallsBackToHomeLocalShare()
    {
        string home = _temp.Combine("home");

        LxaRuntimeSettings settings = TestEnvironment.Resolve(new Dictionary<string, string?> { ["HOME"] = home });

        Assert.Equal(Path.Join(home, ".local", "share", "lx-annotate"), settings.Paths.Root);
        Assert.Equal("HOME", settings.DataRootSource);
    }

    [Fact]
    public void Resolve_AllRootVariablesBlank_TreatedAsUnset()
    {
        string xdg = _temp.Combine("xdg");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = "",
            ["LX_ANNOTATE_DATA_DIR"] = "  ",
            ["DATA_DIR"] = "",
            ["XDG_DATA_HOME"] = xdg,
        }).Paths;

        Assert.Equal(Path.Join(xdg, "lx-annotate"), paths.Root);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("./data")]
    [InlineData("../data")]
    public void Resolve_RelativeRoot_IsRelativeToTheWorkingDirectory(string value)
    {
        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = value,
        }).Paths;

        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetFullPath(value)), paths.Root);
    }

    [Theory]
    [InlineData("~", "")]
    [InlineData("~/data", "data")]
    public void Resolve_TildeRoot_IsTheHomeDirectory(string value, string below)
    {
        string home = _temp.Combine("home");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = value,
        }).Paths;

        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.Join(home, below)), paths.Root);
    }

    [Fact]
    public void Resolve_TildeUser_ThrowsNamingVariable()
    {
        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?> { ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = "~lx/data" });

        Assert.Equal("LX_ANNOTATE_ENCRYPTED_DATA_DIR", ex.VariableName);
    }

    [Fact]
    public void Resolve_RelativeAliasNamingTheSameDirectory_Accepted()
    {
        string root = Path.GetFullPath("data-alias-test");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
            ["DATA_DIR"] = "data-alias-test",
        }).Paths;

        Assert.Equal(root, paths.Root);
    }

    [Fact]
    public void Resolve_FilesystemRootAsDataRoot_Throws()
    {
        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = "/",
        });

        Assert.Equal("LX_ANNOTATE_ENCRYPTED_DATA_DIR", ex.VariableName);
    }

    [Fact]
    public void Resolve_SymlinkLoopInRoot_ThrowsNamingVariable()
    {
        Directory.CreateSymbolicLink(_temp.Combine("a"), _temp.Combine("b"));
        Directory.CreateSymbolicLink(_temp.Combine("b"), _temp.Combine("a"));

        var ex = TestEnvironment.ResolveFails(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _temp.Combine("a", "data"),
        });

        Assert.Equal("LX_ANNOTATE_ENCRYPTED_DATA_DIR", ex.VariableName);
        Assert.Contains("symbolic links", ex.Message, StringComparison.Ordinal);
    }
}
