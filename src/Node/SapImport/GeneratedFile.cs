namespace LxAnnotate.Node.SapImport;

/// <summary>A pair as it landed in the output folder (or would have, in a dry run).</summary>
internal sealed record GeneratedFile(string Carrier, string Sidecar, string DocumentType);
