using LxAnnotate.Hub.Processing.Operators;
using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary><c>jobs show</c> (files and error, never a value) and <c>jobs retry</c> for an error or lost job.</summary>
internal sealed class JobModel(ConsoleJobQueries jobs, ProcessingOperatorService processing, TimeProvider time) : ConsolePage(time)
{
    public JobView Job { get; private set; } = null!;

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken cancellationToken)
    {
        if (await jobs.FindAsync(SignedIn, id, cancellationToken) is not { } job)
        {
            return UnknownTarget();
        }

        Job = job;
        Done = done == "retried" ? "Job sent back to the queue." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(string id, CancellationToken cancellationToken)
    {
        if (await jobs.FindAsync(SignedIn, id, cancellationToken) is not { } job)
        {
            return UnknownTarget();
        }

        Job = job;
        return await ChangeAsync(async () =>
        {
            var retried = await processing.RetryJobAsync(id, SignedIn.Actor, cancellationToken);
            return Redirect("/console/jobs/" + retried.Job.Id.ToString("D") + "?done=retried");
        }, async () => Job = await jobs.FindAsync(SignedIn, id, cancellationToken) ?? job);
    }
}
