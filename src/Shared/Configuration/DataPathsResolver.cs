using static LxAnnotate.Shared.Configuration.EnvironmentVariableNames;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Data root (canonical name and its aliases) and <c>STORAGE_DIR</c>, resolved as the original's settings do: <c>~</c> is
/// the home directory, a relative root is relative to the working directory, and without any root variable the root
/// is <c>${XDG_DATA_HOME:-~/.local/share}/lx-annotate</c> (except on <c>central_hub</c>, where the original requires it).
/// </summary>
internal static class DataPathsResolver
{
    // Precedence order: the first one set is the root, the others must agree with it.
    private static readonly string[] RootVariables = [EncryptedDataDir, DataDir, LegacyDataDir];

    private const string XdgAppDirectory = "lx-annotate";

    /// <returns>The tree, and the variable its root came from.</returns>
    public static (DataPaths Paths, string RootSource) Resolve(Func<string, string?> lookup, DeploymentRole role)
    {
        string? rootVariable = null;
        string rootValue = "";
        string root = "";
        string realRoot = "";

        foreach (string name in RootVariables)
        {
            string? value = SettingText.Read(lookup, name);
            if (value is null)
            {
                continue;
            }

            string normalized = NormalizePath(lookup, name, value, Directory.GetCurrentDirectory());
            string real = RealPath(name, normalized);

            if (rootVariable is null)
            {
                if (IsFileSystemRoot(normalized) || IsFileSystemRoot(real))
                {
                    throw new ConfigurationContractException(
                        name, $"{SettingText.Quote(value)} is the filesystem root; it must name a dedicated directory");
                }

                (rootVariable, rootValue, root, realRoot) = (name, value, normalized, real);
                continue;
            }

            // Two names for one root are tolerated only while they agree; otherwise one part
            // of the system would write where another never looks.
            if (!string.Equals(real, realRoot, PathResolution.Comparison))
            {
                throw new ConfigurationContractException(
                    name,
                    $"{SettingText.Quote(value)} differs from {rootVariable} {SettingText.Quote(rootValue)}; aliases must name the same directory");
            }
        }

        if (rootVariable is null)
        {
            if (role == DeploymentRole.CentralHub)
            {
                throw new ConfigurationContractException(
                    EncryptedDataDir,
                    $"required on central_hub; set it to the absolute path of the protected data root ({DataDir} and {LegacyDataDir} are accepted aliases)");
            }

            (rootVariable, root) = XdgFallback(lookup);
            rootValue = root;
            realRoot = RealPath(rootVariable, root);
        }

        string storage = ResolveStorage(lookup, rootVariable, root, realRoot);
        return (Layout(root, storage), rootVariable);
    }

    /// <summary>
    /// Managed storage must sit inside the protected root (the encrypted filesystem), and
    /// partial transfers under it must be renamable into place atomically. Checked on the
    /// resolved path so a symlink cannot carry storage off the encrypted volume.
    /// </summary>
    private static string ResolveStorage(Func<string, string?> lookup, string rootVariable, string root, string realRoot)
    {
        string? value = SettingText.Read(lookup, StorageDir);
        // A relative STORAGE_DIR names a folder inside the root: the only base that can satisfy the rule below.
        string storage = value is null ? Path.Join(root, "storage") : NormalizePath(lookup, StorageDir, value, root);
        string shown = value is null ? $"default {SettingText.Quote(storage)}" : SettingText.Quote(value);
        string realStorage = RealPath(StorageDir, storage);

        if (string.Equals(realStorage, realRoot, PathResolution.Comparison))
        {
            throw new ConfigurationContractException(
                StorageDir,
                $"{shown} is the data root itself; it must be a directory inside {rootVariable} {SettingText.Quote(root)}");
        }

        if (!IsStrictlyInside(realStorage, realRoot))
        {
            throw new ConfigurationContractException(
                StorageDir,
                $"{shown} resolves to {SettingText.Quote(realStorage)}, outside the data root {SettingText.Quote(realRoot)} ({rootVariable}); it must be a directory inside it");
        }

        return storage;
    }

    /// <summary>The fixed tree under the data root and storage; only the two roots are configurable.</summary>
    private static DataPaths Layout(string root, string storage)
    {
        string import = Path.Join(root, "import");

        return new DataPaths(
            Root: root,
            StorageDir: storage,
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
            IncomingDir: Path.Join(storage, "incoming"));
    }

    /// <summary><c>${XDG_DATA_HOME}/lx-annotate</c>, or <c>~/.local/share/lx-annotate</c> without it, as the original falls back.</summary>
    private static (string Variable, string Root) XdgFallback(Func<string, string?> lookup)
    {
        string? xdg = SettingText.Read(lookup, XdgDataHome);
        if (xdg is not null)
        {
            return (XdgDataHome, Path.Join(NormalizePath(lookup, XdgDataHome, xdg, Directory.GetCurrentDirectory()), XdgAppDirectory));
        }

        return (Home, Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Join(HomeDirectory(lookup, Home), ".local", "share", XdgAppDirectory))));
    }

    /// <summary>
    /// An absolute, normalized path: <c>~</c> and <c>~/…</c> expand to <c>HOME</c> (as Python's <c>expanduser</c>), and a
    /// relative path is taken relative to <paramref name="relativeTo"/>.
    /// </summary>
    private static string NormalizePath(Func<string, string?> lookup, string name, string value, string relativeTo)
    {
        string expanded = value;
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
        {
            expanded = Path.Join(HomeDirectory(lookup, name), value[1..]);
        }
        else if (value.StartsWith('~'))
        {
            throw new ConfigurationContractException(name, $"{SettingText.Quote(value)}: '~user' is not expanded; write the absolute path");
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(expanded, relativeTo));
    }

    private static string HomeDirectory(Func<string, string?> lookup, string name)
    {
        string? home = SettingText.Read(lookup, Home);
        if (home is null)
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.IsPathFullyQualified(home)
            ? home
            : throw new ConfigurationContractException(name, "'~' needs HOME to be an absolute path");
    }

    private static string RealPath(string name, string path)
    {
        try
        {
            return Path.TrimEndingDirectorySeparator(PathResolution.GetRealPath(path));
        }
        catch (IOException ex)
        {
            throw new ConfigurationContractException(name, $"cannot resolve {SettingText.Quote(path)}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ConfigurationContractException(name, $"cannot resolve {SettingText.Quote(path)}: permission denied", ex);
        }
    }

    private static bool IsFileSystemRoot(string path) =>
        string.Equals(Path.TrimEndingDirectorySeparator(path), Path.TrimEndingDirectorySeparator(Path.GetPathRoot(path) ?? ""), PathResolution.Comparison);

    private static bool IsStrictlyInside(string path, string directory)
    {
        string prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        return path.Length > prefix.Length && path.StartsWith(prefix, PathResolution.Comparison);
    }
}
