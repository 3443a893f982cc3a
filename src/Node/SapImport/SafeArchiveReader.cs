using System.Globalization;
using System.IO.Compression;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Opens an SAP IS-H zip and extracts its <c>.txt</c> tables into a staging folder, refusing anything
/// unsafe before a byte is written: absolute, <c>..</c>, backslash and drive-letter names, symlinks,
/// duplicates, too many entries, a too large declared total. While extracting it counts the bytes that
/// really come out, so a lying size field or a bomb is stopped at the limit, not after it.
/// </summary>
internal static class SafeArchiveReader
{
    private const int SymlinkType = 0xA000;
    private const int FileTypeMask = 0xF000;
    private const int MaxNameInMessage = 120;

    /// <summary>Extracts the tables; returns them in entry-name order, plus the entries that are not tables.</summary>
    public static (IReadOnlyList<ExtractedTable> Tables, IReadOnlyList<string> Others) ExtractTables(
        string zipPath, string stagingDir, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ZipArchive archive;
        var stream = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            stream.Dispose();
            throw new SapImportException("the file is not a readable zip archive", ex);
        }

        using (archive)
        {
            var entries = Check(archive, limits);
            var tables = new List<(string Name, ZipArchiveEntry Entry)>();
            var others = new List<string>();
            foreach (var (name, entry) in entries)
            {
                if (name.EndsWith('/'))
                {
                    continue;
                }

                if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                {
                    tables.Add((name, entry));
                }
                else
                {
                    others.Add(name);
                }
            }

            tables.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            long total = 0;
            var extracted = new List<ExtractedTable>();
            foreach (var (name, entry) in tables)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var target = Path.Combine(stagingDir, string.Create(CultureInfo.InvariantCulture, $"table-{extracted.Count + 1:D6}.txt"));
                total = Extract(name, entry, target, total, limits, cancellationToken);
                extracted.Add(new ExtractedTable(name, target));
            }

            others.Sort(StringComparer.Ordinal);
            return (extracted, others);
        }
    }

    private static List<(string Name, ZipArchiveEntry Entry)> Check(ZipArchive archive, ArchiveLimits limits)
    {
        if (archive.Entries.Count > limits.MaxEntries)
        {
            throw new SapImportException(string.Create(CultureInfo.InvariantCulture,
                $"the archive has {archive.Entries.Count} entries, more than the limit of {limits.MaxEntries} (LXA_SAP_IMPORT_MAX_ENTRIES)"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, ZipArchiveEntry)>();
        long declared = 0;
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            if (NameProblem(name) is { } problem)
            {
                throw new SapImportException($"entry '{Shown(name)}' is refused: {problem}");
            }

            if (((entry.ExternalAttributes >> 16) & FileTypeMask) == SymlinkType)
            {
                throw new SapImportException($"entry '{Shown(name)}' is refused: symbolic links are not accepted in an archive");
            }

            if (!seen.Add(name.TrimEnd('/')))
            {
                throw new SapImportException($"entry '{Shown(name)}' is refused: the name appears more than once in the archive");
            }

            declared += entry.Length;
            if (declared > limits.MaxUncompressedBytes)
            {
                throw new SapImportException(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{Shown(name)}' is refused: the archive declares more than {limits.MaxUncompressedBytes} uncompressed bytes (LXA_SAP_IMPORT_MAX_UNCOMPRESSED_BYTES)"));
            }

            result.Add((name, entry));
        }

        return result;
    }

    internal static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "the name is empty";
        }

        if (name.Any(char.IsControl))
        {
            return "the name contains control characters";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "backslashes are not accepted in entry names";
        }

        if (name[0] == '/')
        {
            return "absolute paths are not accepted";
        }

        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
        {
            return "drive-letter paths are not accepted";
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment == "..")
            {
                return "'..' segments are not accepted";
            }
        }

        return null;
    }

    private static long Extract(string name, ZipArchiveEntry entry, string target, long total, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long written = 0;
        try
        {
            using var input = entry.Open();
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                written += read;
                total += read;
                if (total > limits.MaxUncompressedBytes)
                {
                    throw new SapImportException(string.Create(CultureInfo.InvariantCulture,
                        $"entry '{Shown(name)}' is refused: the archive decompresses to more than {limits.MaxUncompressedBytes} bytes (LXA_SAP_IMPORT_MAX_UNCOMPRESSED_BYTES)"));
                }

                if (written > ArchiveLimits.RatioFloorBytes && written > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                {
                    throw new SapImportException(string.Create(CultureInfo.InvariantCulture,
                        $"entry '{Shown(name)}' is refused: it decompresses to more than {limits.MaxCompressionRatio} times its compressed size, as a zip bomb does (LXA_SAP_IMPORT_MAX_COMPRESSION_RATIO)"));
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new SapImportException($"entry '{Shown(name)}' cannot be read: the archive is damaged or uses an unsupported compression", ex);
        }

        return total;
    }

    private static string Shown(string name)
    {
        var shown = name.Length <= MaxNameInMessage ? name : name[..MaxNameInMessage] + "…";
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }
}
