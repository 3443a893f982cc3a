namespace LxAnnotate.Node.SapImport;

/// <summary>A carrier/sidecar pair: its file stem (without extension) and the primary row's document type.</summary>
internal sealed record GeneratedPair(string Stem, string DocumentType);
