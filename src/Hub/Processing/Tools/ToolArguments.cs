using System.Diagnostics;
using System.Text;

namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>
/// A tool's arguments, either as a list (each element one argument) or as the command-line text FFMpegCore builds
/// (<c>FFMpegArgumentProcessor.Arguments</c>). Either way they reach the tool through <see cref="ProcessStartInfo"/>,
/// never through a shell.
/// </summary>
internal sealed class ToolArguments
{
    private readonly IReadOnlyList<string>? list;
    private readonly string? commandLine;

    private ToolArguments(IReadOnlyList<string>? list, string? commandLine)
    {
        this.list = list;
        this.commandLine = commandLine;
    }

    public static ToolArguments FromList(IReadOnlyList<string> arguments) => new(arguments, null);

    public static ToolArguments FromCommandLine(string commandLine) => new(null, commandLine);

    /// <summary>Sets <paramref name="prefix"/> (the <c>prlimit</c> bounds and the tool's path) followed by these arguments.</summary>
    public void ApplyTo(ProcessStartInfo start, IReadOnlyList<string> prefix)
    {
        if (commandLine is null)
        {
            foreach (var argument in prefix.Concat(list!))
            {
                start.ArgumentList.Add(argument);
            }
            return;
        }

        // .NET splits Arguments by the same rules it uses to join ArgumentList, so quoting the prefix that way keeps
        // every prefix element one argument, and the tool sees FFMpegCore's text exactly as FFMpegCore would start it.
        var text = new StringBuilder();
        foreach (var argument in prefix)
        {
            text.Append(Quote(argument)).Append(' ');
        }
        start.Arguments = text.Append(commandLine).ToString();
    }

    // Windows-style quoting, the rules ProcessStartInfo.Arguments is parsed by on every platform.
    private static string Quote(string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"'))
        {
            return argument;
        }
        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }
            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }
        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
