using System.Globalization;
using System.Text.RegularExpressions;
using LxAnnotate.Node.Sidecars;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Storage;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Converts one SAP IS-H zip, all or nothing: the archive is extracted and converted in a private (0700)
/// staging folder inside the data root, and the pairs are moved into the output folder only when the
/// whole archive converted. The staging folder is removed afterwards, on success and on failure.
/// </summary>
internal sealed partial class SapImporter(DataPaths paths, ArchiveLimits limits, TimeProvider time)
{
    public const string ManifestCommand = "import_sap_ish_zip";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode ServiceOnly = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    public string StagingRoot => Path.Combine(paths.Root, "migration_staging", "sap_import");

    public string DefaultManifestDir => Path.Combine(paths.Root, "migration_staging", "manifests", ManifestCommand);

    /// <exception cref="SapImportException">The request or the archive was refused, or the conversion failed.</exception>
    public SapImportReport Run(SapImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SourceSystemPattern().IsMatch(request.SourceSystem))
        {
            throw new SapImportException("--source-system must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
        }

        if (request.CenterKey is { } key && !CenterKeys.IsValid(key))
        {
            throw new SapImportException("--center-key is not a valid center key ([a-z0-9][a-z0-9_-]{0,63})");
        }

        var zip = Path.GetFullPath(request.ZipPath);
        if (!File.Exists(zip) || new FileInfo(zip).LinkTarget is not null)
        {
            throw new SapImportException($"{zip}: no such regular file");
        }

        var output = InsideRoot(request.OutputDir ?? paths.PreanonymizedImport, "--output-dir");
        var now = time.GetUtcNow();
        var manifest = request.DryRun ? null : InsideRoot(request.ManifestPath ?? Path.Combine(DefaultManifestDir, DefaultManifestName(now)), "--manifest-path");

        var staging = CreateStaging();
        try
        {
            var tablesDir = Directory.CreateDirectory(Path.Combine(staging, "tables")).FullName;
            var pairsDir = Directory.CreateDirectory(Path.Combine(staging, "pairs")).FullName;
            var (tables, _) = SafeArchiveReader.ExtractTables(zip, tablesDir, limits, cancellationToken);
            var converter = new SapConverter(new ConversionOptions(request.SourceSystem, request.CenterKey, request.CenterName));
            var result = converter.Convert(tables, Path.Combine(staging, "rows.spill"), pairsDir, cancellationToken);
            if (request.DryRun)
            {
                var planned = result.Pairs.Select(p => new GeneratedFile(Path.Combine(output, p.Stem + ".txt"), Path.Combine(output, p.Stem + ".json"), p.DocumentType)).ToList();
                return new SapImportReport(result, planned, output, null, DryRun: true);
            }

            Directory.CreateDirectory(output);
            var files = MoveAll(result.Pairs, pairsDir, output);
            try
            {
                WriteManifest(manifest!, now, zip, output, request, result, files);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OutOfMemoryException)
            {
                // Without its manifest an import is not complete: the pairs go again.
                RemovePairs(files);
                throw new SapImportException($"writing the manifest failed ({ex.GetType().Name}); none of the pairs were kept", ex);
            }

            return new SapImportReport(result, files, output, manifest, DryRun: false);
        }
        finally
        {
            RemoveStaging(staging);
        }
    }

    /// <summary>Moves every pair, sidecar first; on any failure the pairs already moved are removed again.</summary>
    private static List<GeneratedFile> MoveAll(IReadOnlyList<GeneratedPair> pairs, string pairsDir, string output)
    {
        var moved = new List<GeneratedFile>();
        try
        {
            foreach (var pair in pairs)
            {
                var stem = pair.Stem;
                for (var n = 2; File.Exists(Path.Combine(output, stem + ".txt")) || File.Exists(Path.Combine(output, stem + ".json")); n++)
                {
                    // Never overwrite: an earlier import's pair with the same name may still wait for the watcher.
                    stem = string.Create(CultureInfo.InvariantCulture, $"{pair.Stem}.{n}");
                }

                var file = new GeneratedFile(Path.Combine(output, stem + ".txt"), Path.Combine(output, stem + ".json"), pair.DocumentType);
                File.Move(Path.Combine(pairsDir, pair.Stem + ".json"), file.Sidecar, overwrite: false);
                try
                {
                    File.Move(Path.Combine(pairsDir, pair.Stem + ".txt"), file.Carrier, overwrite: false);
                }
                catch
                {
                    File.Delete(file.Sidecar);
                    throw;
                }

                moved.Add(file);
            }

            NativeFileSystem.FsyncDirectory(output);
            return moved;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RemovePairs(moved);
            throw new SapImportException($"moving the pairs into {output} failed ({ex.GetType().Name}); none were kept", ex);
        }
    }

    private static void RemovePairs(IEnumerable<GeneratedFile> files)
    {
        foreach (var file in files)
        {
            File.Delete(file.Carrier);
            File.Delete(file.Sidecar);
        }
    }

    private static void WriteManifest(string path, DateTimeOffset now, string zip, string output, SapImportRequest request, ConversionResult result, List<GeneratedFile> files)
    {
        // The original's keys and shapes (endoreg-db import_sap_ish_zip), null and empty values included; the reasons
        // for skipped tables, the row counts and the format mark are ours, beside them.
        var manifest = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["command"] = ManifestCommand,
            ["created_at"] = now,
            ["zip_path"] = zip,
            ["output_dir"] = output,
            ["source_system"] = request.SourceSystem,
            ["center_key"] = request.CenterKey,
            ["center_name"] = request.CenterName,
            ["process"] = request.Process,
            ["generated_files"] = files.Select(f => (object?)new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["carrier_path"] = f.Carrier,
                ["sidecar_path"] = f.Sidecar,
                ["document_type"] = f.DocumentType,
            }),
            ["matched_source_files"] = result.MatchedTables.ToList(),
            ["skipped_source_files"] = result.SkippedTables.Select(s => s.EntryName).ToList(),
            ["skipped_source_reasons"] = result.SkippedTables.Select(s => (object?)new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["file"] = s.EntryName,
                ["reason"] = s.Reason,
            }).ToList(),
            ["rows_read"] = result.RowsRead,
            ["dropped_rows"] = result.DroppedRows,
        };

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            BufferSize = 64 * 1024,
        }))
        {
            SidecarJson.Write(file, manifest, keepEmpty: true);
        }

        File.Move(temporary, path, overwrite: false);
    }

    private string CreateStaging()
    {
        foreach (var folder in new[] { Path.Combine(paths.Root, "migration_staging"), StagingRoot })
        {
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder, ServiceOnly);
            }
        }

        var staging = Path.Combine(StagingRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging, Private);

        // mkdir applies the umask; the staging folder holds patient data and must be ours alone.
        File.SetUnixFileMode(staging, Private);
        return staging;
    }

    private static void RemoveStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private string InsideRoot(string path, string option)
    {
        var full = Path.GetFullPath(path);
        var real = PathResolution.GetRealPath(full);
        var root = PathResolution.GetRealPath(Path.GetFullPath(paths.Root));
        return real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new SapImportException($"{option} {full} is outside the data root {paths.Root}");
    }

    private static string DefaultManifestName(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"sap_ish_{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}_{Guid.NewGuid().ToString("N")[..8]}.json");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SourceSystemPattern();
}
