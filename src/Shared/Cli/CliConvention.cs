using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Shared.Cli;

/// <summary>
/// The command-line convention <c>lxa-hub</c> and <c>lxa-node</c> share: a recursive <c>--env-file</c>, every error as
/// one <c>PROGRAM: …</c> line on stderr (scripts that drive the commands read one line), exit code
/// <see cref="UsageErrorExitCode"/> for a command line that does not parse and <see cref="ConfigurationErrorExitCode"/>
/// for a bad setting.
/// </summary>
public sealed class CliConvention(string program)
{
    /// <summary>Exit code of a command line that does not parse (unknown command, missing option).</summary>
    public const int UsageErrorExitCode = 1;

    /// <summary>Exit code of a missing or invalid setting.</summary>
    public const int ConfigurationErrorExitCode = 2;

    public string Program { get; } = program;

    public Option<FileInfo?> EnvFileOption { get; } = new("--env-file")
    {
        Description = "Read variables from a systemd-style env file (e.g. /var/lib/lx-annotate/.env.systemd); its values win over the process environment.",
        Recursive = true,
    };

    /// <summary>Values of <c>--env-file</c>, if given, to layer over the process environment.</summary>
    public IEnumerable<KeyValuePair<string, string?>>? EnvFileValues(ParseResult parseResult) =>
        parseResult.GetValue(EnvFileOption) is { } envFile
            ? EnvFile.Load(envFile.FullName).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)).ToList()
            : null;

    /// <summary>A root command with <see cref="EnvFileOption"/> on it.</summary>
    public RootCommand CreateRoot(string description)
    {
        var root = new RootCommand(description);
        root.Options.Add(EnvFileOption);
        return root;
    }

    /// <summary>Parses and runs; a command line that does not parse is one line instead of the parser's help.</summary>
    public async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            var errors = string.Join(" ", parseResult.Errors.Select(e => e.Message));
            await WriteErrorAsync($"{errors} (see '{CommandPath(parseResult)} --help')");
            return UsageErrorExitCode;
        }

        return await parseResult.InvokeAsync();
    }

    /// <summary>Runs <paramref name="body"/>; a configuration error becomes one line and <see cref="ConfigurationErrorExitCode"/>.</summary>
    public async Task<int> GuardAsync(Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (ConfigurationContractException ex)
        {
            return await ConfigurationErrorAsync(ex);
        }
    }

    /// <summary>Reports <paramref name="ex"/> as one line and returns <see cref="ConfigurationErrorExitCode"/>.</summary>
    public async Task<int> ConfigurationErrorAsync(ConfigurationContractException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        await WriteErrorAsync(ex.Message);
        return ConfigurationErrorExitCode;
    }

    public Task WriteErrorAsync(string message) => Console.Error.WriteLineAsync($"{Program}: {message}");

    /// <summary>
    /// Adds <paramref name="oldSpelling"/> to <paramref name="parent"/> as a hidden command: a verb that moved into a
    /// group keeps working under its former name, so operators' scripts do not break, without showing in help.
    /// </summary>
    public static void AddHiddenAlias(Command parent, Command oldSpelling)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(oldSpelling);
        oldSpelling.Hidden = true;
        parent.Subcommands.Add(oldSpelling);
    }

    private string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Parent is null ? Program : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
