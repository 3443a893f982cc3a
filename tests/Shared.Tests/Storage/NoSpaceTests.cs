using LxAnnotate.Shared.Storage;

namespace LxAnnotate.Shared.Tests.Storage;

public sealed class NoSpaceTests
{
    [Fact]
    public void IsNoSpace_WriteToDevFull_True()
    {
        var error = Assert.Throws<IOException>(WriteToDevFull);

        Assert.True(error.IsNoSpace());
        Assert.True(NoSpace.InChain(error));
    }

    [Fact]
    public void InChain_NoSpaceWrapped_True()
    {
        var inner = Assert.Throws<IOException>(WriteToDevFull);

        Assert.True(NoSpace.InChain(new InvalidOperationException("storing failed", inner)));
    }

    [Fact]
    public void InChain_OtherIoError_False()
    {
        var error = Assert.Throws<FileNotFoundException>(() => File.OpenRead(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

        Assert.False(error.IsNoSpace());
        Assert.False(NoSpace.InChain(new InvalidOperationException("reading failed", error)));
    }

    // /dev/full accepts the open and fails every write with ENOSPC, the condition a full disk gives.
    private static void WriteToDevFull()
    {
        using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(new byte[4096]);
        stream.Flush(flushToDisk: false);
    }
}
