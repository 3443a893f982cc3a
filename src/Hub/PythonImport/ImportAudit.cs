using LxAnnotate.Hub.Operators;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// The audit trail of an import: each center it creates (<c>center_added</c>) and each job it imports
/// (<c>upload_job_imported</c>) is an audit event written in the same transaction as the row, as for every operator change.
/// </summary>
internal sealed record ImportAudit(OperatorAuditTrail Trail, string Actor, TimeProvider Time)
{
    /// <summary>Adds the event to the pending change; call <see cref="OperatorAuditTrail.Log"/> with the result once committed.</summary>
    public (string Action, string Target, string Details) Add(string action, string kind, string key, Dictionary<string, string?> details)
    {
        var target = OperatorAuditTrail.Target(kind, key);
        return (action, target, Trail.Add(Time.GetUtcNow(), Actor, action, target, details));
    }

    public void Log((string Action, string Target, string Details) added) => Trail.Log(added.Action, Actor, added.Target, added.Details);
}
