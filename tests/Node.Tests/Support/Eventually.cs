using System.Diagnostics;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>Bounded waiting for something the watcher does on its own schedule.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
