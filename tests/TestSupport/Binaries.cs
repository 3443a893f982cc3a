namespace LxAnnotate.TestSupport;

/// <summary>Where the built <c>lxa-hub</c> and <c>lxa-node</c> are, for tests that start the real binaries.</summary>
public static class Binaries
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The build configuration the tests themselves were built in (…/bin/Release/net10.0/).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Hub => Locate("Hub", "lxa-hub");

    /// <summary>
    /// Set by <c>scripts/test.sh</c> to the <c>lxa-node</c> of the release artifact (a Native AOT executable), so the
    /// end-to-end tests run the node as it is shipped; unset, they run the built assembly.
    /// </summary>
    public const string NodeExecutableVariable = "LXA_TEST_NODE_EXECUTABLE";

    public static string Node =>
        Environment.GetEnvironmentVariable(NodeExecutableVariable) is { Length: > 0 } executable
            ? File.Exists(executable) ? executable : throw new FileNotFoundException($"{NodeExecutableVariable}={executable} does not exist.", executable)
            : Locate("Node", "lxa-node");

    /// <summary>The program and leading arguments that start <paramref name="path"/>: <c>dotnet X.dll</c>, or a native executable as it is.</summary>
    public static (string Program, string[] Arguments) StartCommand(string path) =>
        path.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", [path]) : (path, []);

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
