using System.Globalization;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>CPU time of a process from <c>/proc/PID/stat</c> (Linux).</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    /// <param name="includeChildren">Add the CPU of children the process has waited for (PostgreSQL's postmaster reaps its backends).</param>
    public static double Seconds(int pid, bool includeChildren)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
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
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
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
}
