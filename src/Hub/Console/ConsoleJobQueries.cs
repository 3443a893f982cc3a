using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Processing.Operators;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The jobs page's reads through the CLI's <see cref="ProcessingOperatorService"/>, narrowed to the operator's centers:
/// a scoped operator's list is the union of one list per center, a job of another center is unknown.
/// </summary>
internal sealed class ConsoleJobQueries(ProcessingOperatorService jobs)
{
    public const int ListLimit = 200;

    public async Task<IReadOnlyList<JobView>> ListAsync(ConsoleOperator user, string? centerKey, string? status, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        IEnumerable<string?> centers = centerKey is not null ? [centerKey] : user.HubWide ? [null] : user.Centers;
        var found = new List<JobView>();
        foreach (var center in centers)
        {
            found.AddRange(await jobs.ListJobsAsync(status, center, ListLimit, cancellationToken));
        }

        return found
            .Where(j => contentType is null || string.Equals(j.ContentType, contentType, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).Take(ListLimit).ToList();
    }

    /// <returns>Null for an unknown job and for a job of a center outside the operator's scope alike.</returns>
    public async Task<JobView?> FindAsync(ConsoleOperator user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        try
        {
            var job = await jobs.ShowJobAsync(id, cancellationToken);
            return user.MaySee(job.CenterKey) ? job : null;
        }
        catch (OperatorException ex) when (ex.Kind is OperatorErrorKind.UnknownJob or OperatorErrorKind.InvalidArgument)
        {
            return null;
        }
    }
}
