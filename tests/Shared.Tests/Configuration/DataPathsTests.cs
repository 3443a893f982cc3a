using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class DataPathsTests : IDisposable
{
    private const UnixFileMode Mode0750 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private const UnixFileMode Mode0770 = Mode0750 | UnixFileMode.GroupWrite;

    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DataPaths Paths(string? storageDir = null, params string[] root) =>
        TestEnvironment.Resolve(new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _temp.Combine(root.Length == 0 ? ["data"] : root),
            ["STORAGE_DIR"] = storageDir,
        }).Paths;

    [Fact]
    public void EnsureCreated_FreshRoot_CreatesEveryFolderWithItsMode()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        DataPaths paths = Paths();

        paths.EnsureCreated();

        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.Root));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.StorageDir));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.IncomingDir));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.RunDir));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.QuarantineDir));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.LogsDir));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.ImportRoot));
        Assert.Equal(Mode0750, File.GetUnixFileMode(Path.Combine(paths.StorageDir, "centers")));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.VideoImport));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.ReportImport));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.PreanonymizedImport));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.SapImport));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.SapImportProcessed));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.SapImportFailed));
    }

    [Fact]
    public void EnsureCreated_FreshRoot_CreatesExactlyTheContractTree()
    {
        DataPaths paths = Paths();

        paths.EnsureCreated();

        string[] created = Directory.GetDirectories(paths.Root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(paths.Root, path))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            [
                "import",
                "import/preanonymized_import",
                "import/report_import",
                "import/sap_import",
                "import/sap_import_failed",
                "import/sap_import_processed",
                "import/video_import",
                "logs",
                "quarantine",
                "run",
                "storage",
                "storage/centers",
                "storage/incoming",
            ],
            created);
    }

    [Fact]
    public void EnsureCreated_ExistingFolders_KeepTheirModes()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        DataPaths paths = Paths();
        Directory.CreateDirectory(paths.Root, Mode0700);
        File.SetUnixFileMode(paths.Root, Mode0700);
        Directory.CreateDirectory(paths.ImportRoot);
        Directory.CreateDirectory(paths.VideoImport);
        File.SetUnixFileMode(paths.VideoImport, Mode0700);

        paths.EnsureCreated();

        Assert.Equal(Mode0700, File.GetUnixFileMode(paths.Root));
        Assert.Equal(Mode0700, File.GetUnixFileMode(paths.VideoImport));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.ReportImport));
    }

    [Fact]
    public void EnsureCreated_CalledTwice_Idempotent()
    {
        DataPaths paths = Paths();

        paths.EnsureCreated();
        paths.EnsureCreated();

        Assert.True(Directory.Exists(paths.SapImportFailed));
    }

    [Fact]
    public void EnsureCreated_MissingParentsOfRootAndStorage_CreatedWithServiceMode()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string root = _temp.Combine("srv", "lxa", "data");
        DataPaths paths = Paths(Path.Join(root, "volumes", "storage"), "srv", "lxa", "data");

        paths.EnsureCreated();

        Assert.Equal(Mode0750, File.GetUnixFileMode(_temp.Combine("srv")));
        Assert.Equal(Mode0750, File.GetUnixFileMode(_temp.Combine("srv", "lxa")));
        Assert.Equal(Mode0750, File.GetUnixFileMode(Path.Join(root, "volumes")));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.StorageDir));
    }
}
