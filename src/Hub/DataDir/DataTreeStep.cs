namespace LxAnnotate.Hub.DataDir;

/// <summary>One line of <c>lxa-hub init-data-dir</c>.</summary>
internal sealed record DataTreeStep(DataTreeAction Action, string Name, string Path, string Mode, string Detail)
{
    public string ActionText => Action switch
    {
        DataTreeAction.Created => "created",
        DataTreeAction.Tightened => "tightened",
        DataTreeAction.Refused => "refused",
        _ => "unchanged",
    };

    public override string ToString() => $"{ActionText,-9} {Name} {Path} {Mode}: {Detail}";
}
