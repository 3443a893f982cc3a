using LxAnnotate.Hub.Configuration;

namespace LxAnnotate.Hub.Tests.Configuration;

public sealed class PythonEnvironmentCatalogTests
{
    /// <summary>The original's deployment example (committed as reference data under tests/EndToEnd.Tests/Migration).</summary>
    private static readonly string ExampleFile = Path.Combine(RepositoryRoot(), "tests", "EndToEnd.Tests", "Migration", "original.env.systemd.example");

    [Fact]
    public void EveryVariableOfTheOriginalsExample_IsUsedOrKnownNotUsed()
    {
        var names = File.ReadLines(ExampleFile)
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.TrimStart().StartsWith('#'))
            .Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)].Trim())
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(
            PythonEnvironmentCatalog.Used.Contains(name) || PythonEnvironmentCatalog.NotUsed.ContainsKey(name), $"{name} is neither used nor listed as known"));
    }

    [Fact]
    public void UsedAndNotUsed_DoNotOverlap()
    {
        Assert.DoesNotContain(PythonEnvironmentCatalog.Used, PythonEnvironmentCatalog.NotUsed.ContainsKey);
    }

    [Fact]
    public void EveryCatalogVariable_HasARowInTheMigrationTable()
    {
        var table = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "migration.md"));

        Assert.All(PythonEnvironmentCatalog.Used.Concat(PythonEnvironmentCatalog.NotUsed.Keys), name =>
            Assert.Contains($"`{name}`", table, StringComparison.Ordinal));
    }

    [Fact]
    public void NotUsedAmong_ListsOnlyKnownUnusedNamesSorted()
    {
        var listed = PythonEnvironmentCatalog.NotUsedAmong(["TIME_ZONE", "PATH", "CENTER_NAME", "DJANGO_DB_NAME", "TIME_ZONE"]);

        Assert.Equal(["CENTER_NAME", "TIME_ZONE"], listed.Select(p => p.Key));
    }

    private static string RepositoryRoot() => LxAnnotate.TestSupport.Binaries.RepositoryRoot;
}
