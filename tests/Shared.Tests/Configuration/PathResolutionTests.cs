using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class PathResolutionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _base;

    public PathResolutionTests()
    {
        // The temp folder itself may sit behind a symlink (macOS /tmp); expectations start from its real path.
        _base = PathResolution.GetRealPath(_temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    private string At(params string[] parts) => Path.Join([_base, .. parts]);

    [Fact]
    public void GetRealPath_MissingTail_KeptLexically()
    {
        Assert.Equal(At("missing", "b"), PathResolution.GetRealPath(At("missing", "a", "..", ".", "b")));
    }

    [Fact]
    public void GetRealPath_AbsoluteSymlink_Resolved()
    {
        Directory.CreateDirectory(At("real", "inner"));
        Directory.CreateSymbolicLink(At("link"), At("real"));

        Assert.Equal(At("real", "inner", "new"), PathResolution.GetRealPath(At("link", "inner", "new")));
    }

    [Fact]
    public void GetRealPath_RelativeSymlinkTarget_ResolvedAgainstLinkDirectory()
    {
        Directory.CreateDirectory(At("real"));
        Directory.CreateDirectory(At("dir"));
        Directory.CreateSymbolicLink(At("dir", "link"), Path.Join("..", "real"));

        Assert.Equal(At("real", "x"), PathResolution.GetRealPath(At("dir", "link", "x")));
    }

    [Fact]
    public void GetRealPath_SymlinkChain_FollowedToTheEnd()
    {
        Directory.CreateDirectory(At("real"));
        Directory.CreateSymbolicLink(At("one"), "two");
        Directory.CreateSymbolicLink(At("two"), At("real"));

        Assert.Equal(At("real"), PathResolution.GetRealPath(At("one")));
    }

    [Fact]
    public void GetRealPath_DotDotAfterSymlink_AppliedToTarget()
    {
        Directory.CreateDirectory(At("a", "b"));
        Directory.CreateSymbolicLink(At("link"), At("a", "b"));

        Assert.Equal(At("a", "c"), PathResolution.GetRealPath(At("link", "..", "c")));
    }

    [Fact]
    public void GetRealPath_DanglingSymlink_TargetKeptLexically()
    {
        Directory.CreateSymbolicLink(At("dangling"), At("nowhere", "x"));

        Assert.Equal(At("nowhere", "x", "y"), PathResolution.GetRealPath(At("dangling", "y")));
    }

    [Fact]
    public void GetRealPath_DotDotBackOutOfMissingPart_ResolvesLinksAgain()
    {
        Directory.CreateDirectory(At("target"));
        Directory.CreateSymbolicLink(At("link"), At("target"));

        Assert.Equal(At("target", "z"), PathResolution.GetRealPath(At("missing", "..", "link", "z")));
    }

    [Fact]
    public void GetRealPath_SymlinkLoop_ThrowsIOException()
    {
        Directory.CreateSymbolicLink(At("a"), At("b"));
        Directory.CreateSymbolicLink(At("b"), At("a"));

        var ex = Assert.Throws<IOException>(() => PathResolution.GetRealPath(At("a", "x")));

        Assert.Contains("too many levels of symbolic links", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetRealPath_SelfLink_ThrowsIOException()
    {
        Directory.CreateSymbolicLink(At("self"), At("self"));

        Assert.Throws<IOException>(() => PathResolution.GetRealPath(At("self")));
    }

    [Fact]
    public void GetRealPath_RelativePath_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => PathResolution.GetRealPath("relative/path"));
    }
}
