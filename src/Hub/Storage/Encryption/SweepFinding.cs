namespace LxAnnotate.Hub.Storage.Encryption;

/// <param name="RelativePath">Path relative to <c>STORAGE_DIR</c>.</param>
public sealed record SweepFinding(string RelativePath, SweepFindingKind Kind)
{
    public string KindName => Kind switch
    {
        SweepFindingKind.Plaintext => "plaintext",
        SweepFindingKind.RetiringKey => "retiring-key",
        _ => "unreadable",
    };
}
