using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class RuntimeSettingsResolverStorageTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TempDirectory _outside = new();
    private readonly string _root;

    public RuntimeSettingsResolverStorageTests()
    {
        _root = _temp.CreateDirectory("data");
    }

    public void Dispose()
    {
        _temp.Dispose();
        _outside.Dispose();
    }

    private Dictionary<string, string?> Environment(string? storageDir) => new()
    {
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _root,
        ["STORAGE_DIR"] = storageDir,
    };

    [Fact]
    public void Resolve_StorageDirUnset_DefaultsUnderRoot()
    {
        DataPaths paths = TestEnvironment.Resolve(Environment(null)).Paths;

        Assert.Equal(Path.Join(_root, "storage"), paths.StorageDir);
        Assert.Equal(Path.Join(_root, "storage", "incoming"), paths.IncomingDir);
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("a/b/storage")]
    public void Resolve_StorageDirInsideRoot_Accepted(string relativeToRoot)
    {
        string storage = Path.Join(_root, relativeToRoot);

        DataPaths paths = TestEnvironment.Resolve(Environment(storage + "/")).Paths;

        Assert.Equal(storage, paths.StorageDir);
        Assert.Equal(Path.Join(storage, "incoming"), paths.IncomingDir);
    }

    [Fact]
    public void Resolve_StorageDirOutsideRoot_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment(_outside.Combine("storage")));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
        Assert.Contains("outside the data root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StorageDirSiblingWithRootAsPrefix_Throws()
    {
        // "/x/data-other" starts with "/x/data" as a string but is not inside it.
        var ex = TestEnvironment.ResolveFails(Environment(_root + "-other"));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/.")]
    [InlineData("/storage/..")]
    public void Resolve_StorageDirIsRootItself_Throws(string suffix)
    {
        var ex = TestEnvironment.ResolveFails(Environment(_root + suffix));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
        Assert.Contains("is the data root itself", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StorageDirDotDotOutOfRoot_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment(Path.Join(_root, "..", "elsewhere")));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
    }

    [Fact]
    public void Resolve_StorageDirThroughSymlinkEscapingRoot_Throws()
    {
        string escape = Path.Join(_root, "storage-link");
        Directory.CreateSymbolicLink(escape, _outside.Path);

        var ex = TestEnvironment.ResolveFails(Environment(escape));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
        Assert.Contains("outside the data root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StorageDirBelowSymlinkEscapingRoot_Throws()
    {
        string escape = Path.Join(_root, "mnt");
        Directory.CreateSymbolicLink(escape, _outside.Path);

        var ex = TestEnvironment.ResolveFails(Environment(Path.Join(escape, "not-yet-created", "storage")));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
    }

    [Fact]
    public void Resolve_DefaultStorageIsSymlinkEscapingRoot_ThrowsNamingStorageDir()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "storage"), _outside.Path);

        var ex = TestEnvironment.ResolveFails(Environment(null));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
        Assert.Contains("default", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StorageDirSymlinkStayingInsideRoot_AcceptedAsConfigured()
    {
        string target = Directory.CreateDirectory(Path.Join(_root, "volumes", "storage")).FullName;
        string link = Path.Join(_root, "storage");
        Directory.CreateSymbolicLink(link, target);

        DataPaths paths = TestEnvironment.Resolve(Environment(link)).Paths;

        Assert.Equal(link, paths.StorageDir);
    }

    [Fact]
    public void Resolve_RootIsSymlinkAndStorageUsesRealPath_Accepted()
    {
        string linkedRoot = _temp.Combine("data-link");
        Directory.CreateSymbolicLink(linkedRoot, _root);
        string storage = Path.Join(_root, "storage");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = linkedRoot,
            ["STORAGE_DIR"] = storage,
        }).Paths;

        Assert.Equal(linkedRoot, paths.Root);
        Assert.Equal(storage, paths.StorageDir);
    }

    [Theory]
    [InlineData("storage", "storage")]
    [InlineData("./files", "files")]
    public void Resolve_RelativeStorageDir_IsInsideTheRoot(string value, string below)
    {
        string root = _temp.Combine("data");

        DataPaths paths = TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root,
            ["STORAGE_DIR"] = value,
        }).Paths;

        Assert.Equal(Path.Join(root, below), paths.StorageDir);
    }

    [Fact]
    public void Resolve_RelativeStorageDirClimbingOut_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment("../elsewhere"));

        Assert.Equal("STORAGE_DIR", ex.VariableName);
        Assert.Contains("outside the data root", ex.Message, StringComparison.Ordinal);
    }
}
