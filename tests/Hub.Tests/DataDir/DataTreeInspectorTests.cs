using LxAnnotate.Hub.DataDir;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.DataDir;

public sealed class DataTreeInspectorTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly DataPaths paths;

    public DataTreeInspectorTests()
    {
        paths = DataTreeTestPaths.Under(temp.Path);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Inspect_InitializedTree_NoCriticalFindingAndEveryPathReported()
    {
        DataTreeInitializer.Apply(paths);

        var report = CheckReport.From(Inspector().Inspect());

        Assert.True(report.Ok);
        Assert.Equal(0, report.Critical);
        foreach (var entry in DataTreeLayout.Entries(paths))
        {
            Assert.Contains(report.Findings, f => f.Check == "mode" && f.Path == entry.Path && f.Severity == "OK");
            Assert.Contains(report.Findings, f => f.Check == "directory" && f.Path == entry.Path && f.Severity == "OK");
        }

        Assert.Contains(report.Findings, f => f.Check == "inside_root" && f.Severity == "OK");
        Assert.Equal(2, report.Findings.Count(f => f.Check == "same_filesystem" && f.Severity == "OK"));
    }

    [Fact]
    public void Inspect_MissingImportSubtree_CriticalForEachFolder()
    {
        DataTreeInitializer.Apply(paths);
        Directory.Delete(paths.ImportRoot, recursive: true);

        var findings = Inspector().Inspect();

        var missing = findings.Where(f => f.Severity == FindingSeverity.Critical).ToList();
        Assert.Equal(7, missing.Count);
        Assert.All(missing, f => Assert.StartsWith("is missing; every import folder must exist", f.Message, StringComparison.Ordinal));
        Assert.Contains(missing, f => f.Name == "import/preanonymized_import");
    }

    [Fact]
    public void Inspect_LooseModes_CriticalPerPathNamingBothModes()
    {
        DataTreeInitializer.Apply(paths);
        File.SetUnixFileMode(paths.Root, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(paths.SapImport, (UnixFileMode)Convert.ToInt32("777", 8));

        var critical = Inspector().Inspect().Where(f => f.Severity == FindingSeverity.Critical).ToList();

        Assert.Equal(2, critical.Count);
        Assert.Contains(critical, f => f.Name == "root" && f.Check == "mode" && f.Message.StartsWith("0755 is looser than the documented 0750", StringComparison.Ordinal));
        Assert.Contains(critical, f => f.Name == "import/sap_import" && f.Message.StartsWith("0777 is looser than the documented 0770", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_FileInsteadOfDirectory_Critical()
    {
        DataTreeInitializer.Apply(paths);
        Directory.Delete(paths.RunDir);
        File.WriteAllText(paths.RunDir, "x");

        var finding = Assert.Single(Inspector().Inspect(), f => f.Severity == FindingSeverity.Critical);

        Assert.Equal("run", finding.Name);
        Assert.StartsWith("exists but is not a directory", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NoWriteAccess_CriticalNamingWhatIsMissing()
    {
        DataTreeInitializer.Apply(paths);
        var inspector = new DataTreeInspector(
            paths,
            (path, mode) => !(path == paths.StorageDir && mode == NativeAccess.Write),
            NativeAccess.Device,
            runningAsRoot: false);

        var finding = Assert.Single(inspector.Inspect(), f => f.Severity == FindingSeverity.Critical);

        Assert.Equal("storage", finding.Name);
        Assert.Contains("cannot write;", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_RealAccessCheck_MissingPathIsNotAccessible()
    {
        Assert.True(NativeAccess.CanAccess(temp.Path, NativeAccess.Read | NativeAccess.Write | NativeAccess.Execute));
        Assert.False(NativeAccess.CanAccess(Path.Combine(temp.Path, "absent"), NativeAccess.Read));
    }

    [Fact]
    public void Inspect_CentersOnAnotherFilesystem_WarningNotCritical()
    {
        DataTreeInitializer.Apply(paths);
        var centers = DataTreeLayout.CentersDir(paths);
        var inspector = new DataTreeInspector(
            paths,
            (_, _) => true,
            path => path == centers ? 99UL : NativeAccess.Device(path),
            runningAsRoot: false);

        var report = CheckReport.From(inspector.Inspect());

        Assert.True(report.Ok);
        var warning = Assert.Single(report.Findings, f => f.Severity == "WARNING");
        Assert.Equal("same_filesystem", warning.Check);
        Assert.Equal(centers, warning.Path);
    }

    [Fact]
    public void Inspect_StorageSymlinkedOutsideRoot_Critical()
    {
        var outside = Path.Combine(temp.Path, "elsewhere");
        Directory.CreateDirectory(outside);
        DataTreeInitializer.Apply(paths);
        Directory.Delete(paths.StorageDir, recursive: true);
        Directory.CreateSymbolicLink(paths.StorageDir, outside);
        DataTreeInitializer.Apply(paths);

        var finding = Assert.Single(Inspector().Inspect(), f => f.Check == "inside_root");

        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("outside the protected root", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finding_ToString_OneLineWithSeverityFirst()
    {
        var line = new DataTreeFinding(FindingSeverity.Critical, "mode", "storage", "/d/storage", "0755 is looser").ToString();

        Assert.Equal("CRITICAL mode storage /d/storage: 0755 is looser", line);
    }

    private DataTreeInspector Inspector() => new(paths, NativeAccess.CanAccess, NativeAccess.Device, runningAsRoot: false);
}
