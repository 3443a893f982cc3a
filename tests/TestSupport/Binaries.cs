namespace LxAnnotate.TestSupport;

/// <summary>Where the built <c>lxa-hub</c> and <c>lxa-node</c> are, for tests that start the real binaries.</summary>
public static class Binaries
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The build configuration the tests themselves were built in (…/bin/Release/net10.0/).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Hub => Locate("Hub", "lxa-hub");

    public static string Node => Locate("Node", "lxa-node");

    private static string Locate(string project, string assembly)
    {
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{assembly} is not built at {path}; build the solution first.", path);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LxAnnotate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LxAnnotate.sln not found above the test binaries.");
    }
}
