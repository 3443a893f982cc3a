using LxAnnotate.Hub.Hosting;
using LxAnnotate.Shared.Transfer;

namespace LxAnnotate.Hub.Tests.Hosting;

public sealed class HubListenersTests
{
    private const int GrpcMessagePrefixBytes = 5;

    [Fact]
    public void StreamWindow_HoldsTheLargestMessageTheHubAccepts()
    {
        // gRPC reads a message only once all of it is buffered; a smaller window would stall that upload for good.
        Assert.True(HubListeners.StreamWindowBytes >= TransferLimits.MaxMessageBytes + GrpcMessagePrefixBytes);
    }

    [Fact]
    public void StreamWindow_LeavesAtMostAQuarterMessageOfReadAhead()
    {
        // Each byte above the largest message is buffered memory per concurrent upload (docs/performance.md).
        Assert.True(HubListeners.StreamWindowBytes <= TransferLimits.MaxMessageBytes + (TransferLimits.DefaultMaxChunkBytes / 4));
    }
}
