namespace LxAnnotate.Hub.PythonImport;

/// <summary>What one run did (or, in a dry run, would do).</summary>
internal sealed class ImportCounts
{
    public int CentersCreated { get; set; }

    public int CentersPresent { get; set; }

    public int JobsImported { get; set; }

    public int JobsPresent { get; set; }

    public int JobsUnassignable { get; set; }

    public int JobsConflicting { get; set; }

    public int JobsFailed { get; set; }

    public int FilesCopied { get; set; }

    public int FilesPresent { get; set; }

    public long BytesCopied { get; set; }

    public int SensitiveMetas { get; set; }

    public int ProcessedArtifacts { get; set; }

    public int HashesEqual { get; set; }

    public int HashesDiffering { get; set; }

    public int HashesNotStored { get; set; }

    public bool HashCheckSkipped { get; set; }
}
