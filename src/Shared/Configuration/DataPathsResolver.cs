using static LxAnnotate.Shared.Configuration.EnvironmentVariableNames;

namespace LxAnnotate.Shared.Configuration;

/// <summary>Data root (canonical name and its aliases) and <c>STORAGE_DIR</c>.</summary>
internal static class DataPathsResolver
{
    // Precedence order: the first one set is the root, the others must agree with it.
    private static readonly string[] RootVariables = [EncryptedDataDir, DataDir, LegacyDataDir];

    public static DataPaths Resolve(Func<string, string?> lookup)
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

            string normalized = NormalizeAbsolute(name, value);
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
            throw new ConfigurationContractException(
                EncryptedDataDir,
                $"required; set it to the absolute path of the protected data root ({DataDir} and {LegacyDataDir} are accepted aliases)");
        }

        string storage = ResolveStorage(lookup, rootVariable, root, realRoot);
        return Layout(root, storage);
    }

    /// <summary>
    /// Managed storage must sit inside the protected root (the encrypted filesystem), and
    /// partial transfers under it must be renamable into place atomically. Checked on the
    /// resolved path so a symlink cannot carry storage off the encrypted volume.
    /// </summary>
    private static string ResolveStorage(Func<string, string?> lookup, string rootVariable, string root, string realRoot)
    {
        string? value = SettingText.Read(lookup, StorageDir);
        string storage = value is null ? Path.Join(root, "storage") : NormalizeAbsolute(StorageDir, value);
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

    private static string NormalizeAbsolute(string name, string value)
    {
        // IsPathFullyQualified, not IsPathRooted: a relative path would depend on the working
        // directory systemd happens to start the process in.
        if (!Path.IsPathFullyQualified(value))
        {
            throw new ConfigurationContractException(name, $"path must be absolute, got {SettingText.Quote(value)}");
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(value));
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
