namespace LxAnnotate.Hub.DataDir;

/// <summary><c>lxa-hub init-data-dir --json</c>: <c>ok</c> is false when a path was refused.</summary>
internal sealed record InitReport(bool Ok, IReadOnlyList<InitStepView> Steps)
{
    public static InitReport From(IReadOnlyList<DataTreeStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return new InitReport(
            steps.All(s => s.Action != DataTreeAction.Refused),
            steps.Select(s => new InitStepView(s.ActionText, s.Name, s.Path, s.Mode, s.Detail)).ToList());
    }
}
