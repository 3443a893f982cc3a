using System.CommandLine;
using LxAnnotate.Hub.Processing.Operators;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub jobs list|show|retry</c>.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var command = new Command("jobs", "List, inspect and retry processing jobs (upload jobs).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Retry());
        return command;
    }

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "Only jobs with this status: pending, processing, retrying, anonymized, error, lost." };
        var center = new Option<string?>("--center-key", "--center") { Description = "Only jobs of this center_key." };
        var limit = new Option<int>("--limit") { Description = "At most this many jobs, newest first.", DefaultValueFactory = _ => ProcessingOperatorService.DefaultListLimit };
        var json = OperatorCommand.JsonOption();
        var command = new Command("list", "List jobs, newest first.");
        command.Options.Add(status);
        command.Options.Add(center);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, IReadOnlyList<JobView>>(
            parseResult,
            json,
            (service, ct) => service.ListJobsAsync(parseResult.GetValue(status), parseResult.GetValue(center), parseResult.GetValue(limit), ct),
            ProcessingJson.Default.IReadOnlyListJobView,
            ProcessingText.Jobs,
            cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("ID") { Description = "The job id (UUID)." };
        var json = OperatorCommand.JsonOption();
        var command = new Command("show", "Show one job: status, error, attempts, lease, probe result, processing results, where its extracted values and masked video are.");
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, JobView>(
            parseResult,
            json,
            (service, ct) => service.ShowJobAsync(parseResult.GetValue(id)!, ct),
            ProcessingJson.Default.JobView,
            (job, output) => ProcessingText.Job(job, output, parseResult.GetValue(HubCli.Convention.EnvFileOption)?.FullName),
            cancellationToken));
        return command;
    }

    private static Command Retry()
    {
        var id = new Argument<string>("ID") { Description = "The job id (UUID) of an 'error' or 'lost' job." };
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("retry", "Send an 'error' or 'lost' job back to the queue (status 'retrying', due now, attempts reset).");
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, JobRetry>(
            parseResult,
            json,
            (service, ct) => service.RetryJobAsync(parseResult.GetValue(id)!, OperatorCommand.Actor(parseResult, actor), ct),
            ProcessingJson.Default.JobRetry,
            ProcessingText.Retried,
            cancellationToken));
        return command;
    }
}
