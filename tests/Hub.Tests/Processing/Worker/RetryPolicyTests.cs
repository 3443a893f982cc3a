using LxAnnotate.Hub.Processing.Worker;

namespace LxAnnotate.Hub.Tests.Processing.Worker;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(4, 240)]
    [InlineData(5, 480)]
    [InlineData(6, 900)]
    [InlineData(7, 900)]
    [InlineData(60, 900)]
    [InlineData(int.MaxValue, 900)]
    public void DelayBefore_RetryNumber_DoublesFrom30SecondsCappedAt15Minutes(int retry, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.DelayBefore(retry));

    [Fact]
    public void NextAttempt_ThreeAttempts_TwoRetriesThenNone()
    {
        var failedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(failedAt.AddSeconds(30), RetryPolicy.NextAttempt(retriesSoFar: 0, maxAttempts: 3, failedAt));
        Assert.Equal(failedAt.AddSeconds(60), RetryPolicy.NextAttempt(retriesSoFar: 1, maxAttempts: 3, failedAt));
        Assert.Null(RetryPolicy.NextAttempt(retriesSoFar: 2, maxAttempts: 3, failedAt));
    }

    [Fact]
    public void DelayBefore_Zero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.DelayBefore(0));
}
