using System.Text.RegularExpressions;

namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>
/// Turns a tool's standard error into the short reason a job's error detail may carry: the first line, without the
/// file name ffmpeg quotes in front of it and without the memory addresses its log prefixes hold
/// (<c>[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55cd1d30c180]</c>), which mean nothing to an operator and differ on every run.
/// </summary>
internal static partial class ToolErrorText
{
    private const int MaxChars = 200;

    /// <summary>The first line of <paramref name="stderr"/> reduced to its reason, or <paramref name="fallback"/> when there is none.</summary>
    public static string FirstReason(string? stderr, string fallback)
    {
        var line = (stderr ?? "").Split('\n').Select(l => WithoutAddresses(l).Trim()).FirstOrDefault(l => l.Length > 0);
        if (string.IsNullOrEmpty(line))
        {
            return fallback;
        }

        // "/srv/…/file.mp4: Invalid data found when processing input": the path is cut off with everything before ": ".
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        var text = colon >= 0 ? line[(colon + 2)..].Trim() : line;
        if (text.Length == 0)
        {
            return fallback;
        }
        return text.Length > MaxChars ? text[..MaxChars] : text;
    }

    /// <summary>
    /// <paramref name="text"/> without ffmpeg's <c>[component @ 0x…]</c> log prefixes and without any other
    /// <c>0x…</c> pointer value.
    /// </summary>
    public static string WithoutAddresses(string text) =>
        BareAddress().Replace(LogPrefix().Replace(text ?? "", ""), "").Replace("  ", " ", StringComparison.Ordinal);

    [GeneratedRegex(@"\[[^\[\]]*@\s*0x[0-9a-fA-F]+\]\s*")]
    private static partial Regex LogPrefix();

    [GeneratedRegex(@"\s*(@\s*)?\b0x[0-9a-fA-F]{9,16}\b")]
    private static partial Regex BareAddress();
}
