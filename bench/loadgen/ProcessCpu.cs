using System.Globalization;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>CPU time of a process from <c>/proc/PID/stat</c> (Linux).</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    /// <param name="includeChildren">Add the CPU of children the process has waited for (PostgreSQL's postmaster reaps its backends).</param>
    public static double Seconds(int pid, bool includeChildren)
    {
        var fields = Fields(pid);
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        var ticks = Field(14) + Field(15) + (includeChildren ? Field(16) + Field(17) : 0);
        return ticks / TicksPerSecond;
    }

    /// <summary>The process and all its live children (one level, as PostgreSQL's backends are), plus reaped children.</summary>
    public static double TreeSeconds(int pid)
    {
        var total = Seconds(pid, includeChildren: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var child) || child == pid)
            {
                continue;
            }

            try
            {
                if (ParentOf(child) == pid)
                {
                    total += Seconds(child, includeChildren: true);
                }
            }
            catch (IOException)
            {
                // the child ended meanwhile; its time is now in the parent's reaped-children fields
            }
        }

        return total;
    }

    /// <summary>The parent process id (field 4 of <c>/proc/PID/stat</c>).</summary>
    public static int ParentOf(int pid) => int.Parse(Fields(pid)[1], CultureInfo.InvariantCulture);

    /// <summary>The fields after the command name, which is in parentheses and may contain spaces: field n is at n − 3.</summary>
    private static string[] Fields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
