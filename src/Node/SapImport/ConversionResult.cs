namespace LxAnnotate.Node.SapImport;

/// <summary>What one archive converted to, before the pairs are moved to the output folder.</summary>
/// <param name="DroppedRows">Rows with neither a patient nor a case number; they cannot belong anywhere.</param>
internal sealed record ConversionResult(
    IReadOnlyList<GeneratedPair> Pairs,
    IReadOnlyList<string> MatchedTables,
    IReadOnlyList<SkippedTable> SkippedTables,
    int RowsRead,
    int DroppedRows);
