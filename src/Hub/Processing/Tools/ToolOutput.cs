using System.Text;

namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>
/// Reads a tool's pipes while it runs: standard output up to a cap (drained past it so the tool never blocks on
/// a full pipe), standard error as a bounded tail.
/// </summary>
internal static class ToolOutput
{
    private const int StderrTailChars = 8 * 1024;

    public static async Task DrainAsync(Task stdout, Task stderr)
    {
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grandchild that escaped the kill still holds the pipe; give up on its output.
        }
        catch (IOException)
        {
            // Pipe closed under us by the kill.
        }
    }

    public static async Task<string> TailOrEmptyAsync(Task<string> stderr) =>
        stderr.IsCompletedSuccessfully ? await stderr.ConfigureAwait(false) : "";

    public static async Task<(byte[] Data, bool Overflow)> ReadBoundedAsync(Stream stream, int max)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        var overflow = false;
        int read;
        while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (overflow)
            {
                continue; // keep draining so the tool does not block on a full pipe
            }
            if (buffer.Length + read > max)
            {
                overflow = true;
                continue;
            }
            await buffer.WriteAsync(chunk.AsMemory(0, read)).ConfigureAwait(false);
        }
        return (buffer.ToArray(), overflow);
    }

    public static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            tail.Append(chunk, 0, read);
            if (tail.Length > 2 * StderrTailChars)
            {
                tail.Remove(0, tail.Length - StderrTailChars);
            }
        }
        if (tail.Length > StderrTailChars)
        {
            tail.Remove(0, tail.Length - StderrTailChars);
        }
        return tail.ToString();
    }
}
