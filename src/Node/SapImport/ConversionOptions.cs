using LxAnnotate.Node.Sidecars;

namespace LxAnnotate.Node.SapImport;

/// <summary>What the generated sidecars declare about their origin.</summary>
internal sealed record ConversionOptions(string SourceSystem, string? CenterKey, string? CenterName)
{
    /// <summary>Longest cell accepted; a longer one fails the archive instead of filling memory.</summary>
    public int MaxFieldChars { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest sidecar written; the watcher refuses bigger ones, so such an archive fails here.</summary>
    public int MaxSidecarBytes { get; init; } = SidecarReader.MaxBytes;
}
