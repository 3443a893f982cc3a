namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>Polls a condition of the replicas, bounded in time.</summary>
internal static class ReplicaWait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, int seconds = 45)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {seconds} s");
            await Task.Delay(100);
        }
    }
}
