namespace LxAnnotate.Node.Sidecars;

/// <summary>
/// The one way a sidecar is read: a size limit before the parse, then the closed schema of
/// <see cref="PreanonymizedSidecar"/>. The watcher reads every sidecar through it at the drop; the SAP
/// import writes none bigger than <see cref="MaxBytes"/>, so what it generates is always taken.
/// </summary>
internal static class SidecarReader
{
    /// <summary>Largest sidecar that is parsed; a bigger one is refused unread. SAP IS-H sidecars carry the raw rows of a case.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Validates sidecar bytes (read with at most <see cref="MaxBytes"/> + 1 bytes, so an oversized one is
    /// seen without reading it whole). <paramref name="problem"/> never echoes a value, as in
    /// <see cref="PreanonymizedSidecar.TryParse"/>.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, out PreanonymizedSidecar? sidecar, out string? problem)
    {
        if (json.Length > MaxBytes)
        {
            sidecar = null;
            problem = $"sidecar is larger than {MaxBytes} bytes";
            return false;
        }

        return PreanonymizedSidecar.TryParse(json, out sidecar, out problem);
    }

    /// <summary>Reads and validates the sidecar file at <paramref name="path"/>; a missing file throws <see cref="FileNotFoundException"/>.</summary>
    public static bool TryReadFile(string path, out PreanonymizedSidecar? sidecar, out string? problem) =>
        TryParse(File.ReadAllBytes(path), out sidecar, out problem);
}
