using LxAnnotate.Hub.DataDir;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.DataDir;

public sealed class DataTreeInitializerTests : IDisposable
{
    private const UnixFileMode Mode0750 = DataTreeLayout.ServiceOnly;
    private const UnixFileMode Mode0770 = DataTreeLayout.DropZone;

    private readonly TempDirectory temp = new();
    private readonly DataPaths paths;

    public DataTreeInitializerTests()
    {
        paths = DataTreeTestPaths.Under(temp.Path);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Apply_EmptyRoot_CreatesEveryDirectoryWithItsDocumentedMode()
    {
        var steps = DataTreeInitializer.Apply(paths);

        Assert.All(steps, s => Assert.Equal(DataTreeAction.Created, s.Action));
        Assert.Equal(DataTreeLayout.Entries(paths).Select(e => e.Path), steps.Select(s => s.Path));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.Root));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.StorageDir));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.IncomingDir));
        Assert.Equal(Mode0750, File.GetUnixFileMode(Path.Combine(paths.StorageDir, "centers")));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.RunDir));
        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.ImportRoot));
        foreach (var folder in new[] { paths.VideoImport, paths.ReportImport, paths.PreanonymizedImport, paths.SapImport, paths.SapImportProcessed, paths.SapImportFailed })
        {
            Assert.Equal(Mode0770, File.GetUnixFileMode(folder));
        }
    }

    [Fact]
    public void Apply_SecondRun_ChangesNothing()
    {
        DataTreeInitializer.Apply(paths);

        var again = DataTreeInitializer.Apply(paths);

        Assert.All(again, s => Assert.Equal(DataTreeAction.Unchanged, s.Action));
    }

    [Fact]
    public void Apply_LooserDirectory_RemovesOnlyTheExtraBitsAndKeepsContent()
    {
        DataTreeInitializer.Apply(paths);
        var kept = Path.Combine(paths.VideoImport, "exam.mp4");
        File.WriteAllText(kept, "video");
        File.SetUnixFileMode(paths.VideoImport, (UnixFileMode)Convert.ToInt32("777", 8));
        File.SetUnixFileMode(paths.StorageDir, (UnixFileMode)Convert.ToInt32("755", 8));

        var steps = DataTreeInitializer.Apply(paths);

        Assert.Equal(Mode0770, File.GetUnixFileMode(paths.VideoImport));
        Assert.Equal(Mode0750, File.GetUnixFileMode(paths.StorageDir));
        Assert.Equal(2, steps.Count(s => s.Action == DataTreeAction.Tightened));
        Assert.Contains(steps, s => s.Name == "import/video_import" && s.Detail == "was 0777, looser than the documented 0770");
        Assert.Equal("video", File.ReadAllText(kept));
    }

    [Fact]
    public void Apply_TighterDirectory_IsNeverLoosened()
    {
        DataTreeInitializer.Apply(paths);
        var tight = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.SetUnixFileMode(paths.ReportImport, tight);

        var steps = DataTreeInitializer.Apply(paths);

        Assert.Equal(tight, File.GetUnixFileMode(paths.ReportImport));
        Assert.Contains(steps, s => s.Name == "import/report_import" && s.Action == DataTreeAction.Unchanged && s.Mode == "0700");
    }

    [Fact]
    public void Apply_FileWhereADirectoryBelongs_RefusesAndLeavesTheFile()
    {
        Directory.CreateDirectory(paths.ImportRoot);
        File.WriteAllText(paths.SapImport, "not a folder");

        var report = InitReport.From(DataTreeInitializer.Apply(paths));

        Assert.False(report.Ok);
        Assert.Contains(report.Steps, s => s.Name == "import/sap_import" && s.Action == "refused");
        Assert.Equal("not a folder", File.ReadAllText(paths.SapImport));
        Assert.True(Directory.Exists(paths.SapImportFailed));
    }

    [Fact]
    public void EnsureCreated_FirstStart_AgreesWithInitDataDir()
    {
        paths.EnsureCreated();

        var steps = DataTreeInitializer.Apply(paths);

        Assert.All(steps, s => Assert.Equal(DataTreeAction.Unchanged, s.Action));
    }

    [Fact]
    public void Tmpfiles_Layout_OneDirectoryLinePerEntryWithTheDocumentedMode()
    {
        var lines = DataTreeTmpfiles.Lines(paths, "lx-annotate", "lx-annotate");

        Assert.StartsWith("#", lines[0], StringComparison.Ordinal);
        Assert.Equal(DataTreeLayout.Entries(paths).Count, lines.Count - 1);
        Assert.Contains($"d {paths.Root} 0750 lx-annotate lx-annotate -", lines);
        Assert.Contains($"d {paths.StorageDir} 0750 lx-annotate lx-annotate -", lines);
        Assert.Contains($"d {paths.ImportRoot} 0770 lx-annotate lx-annotate -", lines);
        Assert.Contains($"d {paths.SapImportFailed} 0770 lx-annotate lx-annotate -", lines);
    }
}
