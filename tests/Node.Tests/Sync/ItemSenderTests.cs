using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.Tests.Sync;

public sealed class ItemSenderTests
{
    [Theory]
    [InlineData(0, 0.8, 1.2)]
    [InlineData(3, 6.4, 9.6)]
    [InlineData(30, 240, 360)]
    public void Backoff_DoublesFromOneSecondWithJitterAndCapsAtFiveMinutes(int attempts, double min, double max)
    {
        for (var i = 0; i < 50; i++)
        {
            var delay = ItemSender.Backoff(attempts).TotalSeconds;
            Assert.InRange(delay, min, max);
        }
    }
}
