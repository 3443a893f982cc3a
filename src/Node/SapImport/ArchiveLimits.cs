namespace LxAnnotate.Node.SapImport;

/// <summary>Limits on an SAP IS-H archive; exceeding one refuses the archive.</summary>
/// <param name="MaxEntries">Entries in the archive (<c>LXA_SAP_IMPORT_MAX_ENTRIES</c>).</param>
/// <param name="MaxUncompressedBytes">Bytes after decompression, all entries together (<c>LXA_SAP_IMPORT_MAX_UNCOMPRESSED_BYTES</c>).</param>
/// <param name="MaxCompressionRatio">Decompressed to compressed size of one entry (<c>LXA_SAP_IMPORT_MAX_COMPRESSION_RATIO</c>).</param>
internal sealed record ArchiveLimits(int MaxEntries = 10_000, long MaxUncompressedBytes = 4L * 1024 * 1024 * 1024, double MaxCompressionRatio = 100)
{
    /// <summary>
    /// Below this many decompressed bytes the ratio is not judged: a small table of repeated values
    /// compresses far better than 100:1 without being a bomb.
    /// </summary>
    public const long RatioFloorBytes = 1024 * 1024;
}
