using System.Globalization;
using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Operators;

/// <summary>
/// How every operator change is recorded: saved together with its <see cref="AuditEvent"/> in one
/// <c>SaveChanges</c> (one transaction), then logged on the audit category
/// (<see cref="OperatorAuditLog"/>) once committed.
/// </summary>
internal sealed class OperatorAuditTrail(LxaDbContext db, TimeProvider time, ILoggerFactory loggerFactory)
{
    private readonly ILogger audit = loggerFactory.CreateLogger(OperatorAuditLog.Category);

    /// <summary>
    /// Saves the pending change and its audit event in one transaction. A unique index that refuses the
    /// write (a concurrent command added the same key first) becomes <paramref name="duplicate"/>.
    /// </summary>
    public async Task SaveAsync(
        string actor,
        string action,
        string target,
        Dictionary<string, string?> details,
        Func<OperatorException>? duplicate,
        CancellationToken cancellationToken)
    {
        var detailsJson = Add(time.GetUtcNow(), actor, action, target, details);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (duplicate is not null && DbErrors.IsUniqueViolation(ex))
        {
            throw duplicate();
        }

        Log(action, actor, target, detailsJson);
    }

    /// <summary>
    /// Adds an audit event to the pending change without saving, for a change that records two events;
    /// the caller <see cref="Log"/>s it once <see cref="SaveAsync"/> has committed both.
    /// </summary>
    /// <returns>The details as stored, for the log line.</returns>
    public string Add(DateTimeOffset occurredAt, string actor, string action, string target, Dictionary<string, string?> details)
    {
        var detailsJson = JsonSerializer.Serialize(details, OperatorJson.Default.DictionaryStringString);
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = occurredAt,
            Actor = actor,
            Action = action,
            Target = target,
            Details = detailsJson,
        });
        return detailsJson;
    }

    public void Log(string action, string actor, string target, string detailsJson) =>
        OperatorAuditLog.OperatorAction(audit, action, actor, target, detailsJson);

    public static string Target(string kind, string key) => kind + ":" + key;

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
