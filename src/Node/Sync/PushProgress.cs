using System.Diagnostics;
using System.Globalization;

namespace LxAnnotate.Node.Sync;

/// <summary>A progress bar on a terminal (of <paramref name="total"/> bytes); plain lines (at most one per 5 s) when output is redirected.</summary>
internal sealed class PushProgress(long total, bool plain) : IProgress<(Guid Item, long Bytes)>
{
    private readonly Dictionary<Guid, long> sent = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastLine = TimeSpan.Zero;

    public void Report((Guid Item, long Bytes) value)
    {
        lock (sent)
        {
            sent[value.Item] = value.Bytes;
            var done = sent.Values.Sum();
            var elapsed = clock.Elapsed;
            if (plain && elapsed - lastLine < TimeSpan.FromSeconds(5) && done < total)
            {
                return;
            }

            lastLine = elapsed;
            var rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
            var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
            var percent = total == 0 ? 100 : done * 100 / total;
            var line = string.Create(CultureInfo.InvariantCulture, $"{percent,3}% {Mib(done)}/{Mib(total)} MiB  {Mib((long)rate)} MiB/s  ETA {eta:hh\\:mm\\:ss}");
            if (plain)
            {
                Console.WriteLine(line);
            }
            else
            {
                var width = 30;
                var filled = (int)(width * percent / 100);
                Console.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {line}   ");
            }
        }
    }

    public void Finish()
    {
        if (!plain)
        {
            Console.WriteLine();
        }
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}
