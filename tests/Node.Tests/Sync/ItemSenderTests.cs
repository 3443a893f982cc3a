using Grpc.Core;
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

    [Theory]
    [InlineData(StatusCode.AlreadyExists, true)]
    [InlineData(StatusCode.PermissionDenied, true)]
    [InlineData(StatusCode.InvalidArgument, true)]
    [InlineData(StatusCode.Unavailable, false)]
    [InlineData(StatusCode.DataLoss, false)]
    public void IsRefusal_HubAnswer_FailsTheItemOnlyWhenNoRetryCanChangeIt(StatusCode code, bool refused)
    {
        Assert.Equal(refused, ItemSender.IsRefusal(code));
    }

    [Theory]
    [InlineData(StatusCode.DataLoss, 3, "DataLoss: The hub lost partial bytes of this transfer; offer the artifact again.", true)]
    [InlineData(StatusCode.FailedPrecondition, 5, "FailedPrecondition: not open", true)]
    [InlineData(StatusCode.DataLoss, 2, "DataLoss: lost", false)]
    [InlineData(StatusCode.DataLoss, 4, "Unauthenticated: The client certificate is not valid for this hub: transient", false)]
    [InlineData(StatusCode.DataLoss, 4, "connection to the hub lost: ResponseEnded", false)]
    [InlineData(StatusCode.DataLoss, 4, "FailedPrecondition: not open", false)]
    [InlineData(StatusCode.DataLoss, 4, null, false)]
    public void PersistsAsRefusal_OnlyTheSameAnswerAgainAfterThreeAttempts(StatusCode code, int attempts, string? lastError, bool refused)
    {
        Assert.Equal(refused, ItemSender.PersistsAsRefusal(code, attempts, lastError));
    }
}
