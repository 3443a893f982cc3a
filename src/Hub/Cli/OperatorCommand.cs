using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// How every operator command runs: one call of the operator service for its aggregate, the
/// result as text or (<c>--json</c>) one JSON document on stdout. A refusal is exactly one line
/// <c>lxa-hub: …</c> on stderr: exit code <see cref="OperatorErrorExitCode"/>, or
/// <see cref="CliHost.ConfigurationErrorExitCode"/> when a setting is missing or wrong.
/// </summary>
internal static class OperatorCommand
{
    public const int OperatorErrorExitCode = 1;

    public static Option<bool> JsonOption() => new("--json")
    {
        Description = "Write the result as one JSON document on stdout.",
    };

    public static Option<string?> ActorOption() => new("--actor")
    {
        Description = "Who makes the change, for the audit trail (default: $SUDO_USER, else $USER, else the OS user).",
    };

    /// <summary>The actor of a changing command; resolved inside the action so a bad value is a refusal.</summary>
    public static string Actor(ParseResult parseResult, Option<string?> actor) =>
        OperatorActor.Resolve(parseResult.GetValue(actor), Environment.GetEnvironmentVariable);

    /// <summary>Runs <paramref name="action"/> on <typeparamref name="TService"/>, once the schema is current.</summary>
    public static Task<int> RunAsync<TService, T>(
        ParseResult parseResult,
        Option<bool> json,
        Func<TService, CancellationToken, Task<T>> action,
        JsonTypeInfo<T> jsonType,
        Action<T, TextWriter> writeText,
        CancellationToken cancellationToken)
        where TService : notnull =>
        CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            T result;
            try
            {
                await services.GetRequiredService<OperatorSchema>().EnsureCurrentAsync(ct);
                result = await action(services.GetRequiredService<TService>(), ct);
            }
            catch (ConfigurationContractException ex)
            {
                await FailAsync(ex.Message);
                return CliHost.ConfigurationErrorExitCode;
            }
            catch (OperatorException ex)
            {
                await FailAsync(ex.Message);
                return OperatorErrorExitCode;
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException)
            {
                await FailAsync("database error: " + (ex.InnerException as DbException ?? ex).Message);
                return OperatorErrorExitCode;
            }

            if (parseResult.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, jsonType));
            }
            else
            {
                writeText(result, Console.Out);
            }

            return 0;
        }, QuietDatabaseLogging, cancellationToken);

    // A failed SQL command is reported as the command's one line; EF Core's own error log would add a
    // multi-line dump to stderr (and logs a failed probe of the migrations table on an empty database).
    private static void QuietDatabaseLogging(ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);

    // One line, whatever the message quotes (file names, database errors): scripts and journald read lines.
    private static Task FailAsync(string message) =>
        HubCli.Convention.WriteErrorAsync("" + string.Concat(message.Select(c => char.IsControl(c) ? ' ' : c)));
}
