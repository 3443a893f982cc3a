using LxAnnotate.Node.Outbox;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Outbox;

public sealed class NodeProcessLockTests : IDisposable
{
    private readonly TempDirectory root = new();

    [Fact]
    public async Task Open_OnlyTheFirstOfTwoIsAlone_BothShareAfterwards_AndTheNextIsAloneOnceBothEnd()
    {
        var path = root.Combine("processes.lock");
        var (first, firstAlone) = NodeProcessLock.Open(path);
        var (second, secondAlone) = NodeProcessLock.Open(path);
        var secondWaited = false;
        var secondShares = second.ShareAsync(TimeSpan.FromMilliseconds(10), () => secondWaited = true, CancellationToken.None);

        // The second waits while the first holds the lock exclusively, and shares once the first does.
        await Task.Delay(100);
        Assert.False(secondShares.IsCompleted);
        await first.ShareAsync(TimeSpan.FromMilliseconds(10), () => { }, CancellationToken.None);
        await secondShares.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(firstAlone);
        Assert.False(secondAlone);
        Assert.True(secondWaited);
        var (third, thirdAlone) = NodeProcessLock.Open(path);
        Assert.False(thirdAlone);
        third.Dispose();

        first.Dispose();
        second.Dispose();
        var (next, nextAlone) = NodeProcessLock.Open(path);
        next.Dispose();
        Assert.True(nextAlone);
    }

    [Fact]
    public void Open_DirectoryMissing_IsAnIOExceptionNamingThePath()
    {
        var path = root.Combine("missing", "processes.lock");

        var error = Assert.Throws<IOException>(() => NodeProcessLock.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => root.Dispose();
}
