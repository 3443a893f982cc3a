using LxAnnotate.Node.Files;

namespace LxAnnotate.Node.Tests.Files;

public sealed class DropFileNamesTests
{
    [Theory]
    [InlineData(".hidden.mp4")]
    [InlineData("~$draft.pdf")]
    [InlineData("video.mp4.tmp")]
    [InlineData("video.mp4.PART")]
    [InlineData("video.mp4.partial")]
    [InlineData("video.mp4.crdownload")]
    [InlineData("video.mp4.download")]
    [InlineData("writer.lock")]
    [InlineData("video.tmp.mp4")]
    [InlineData("video.part.1.mp4")]
    [InlineData(".video.mp4.AbC123")]
    public void IsIgnored_InProgressOrHidden_True(string name)
    {
        Assert.True(DropFileNames.IsIgnored(name));
    }

    [Theory]
    [InlineData("video.mp4")]
    [InlineData("report.PDF")]
    [InlineData("export.json")]
    [InlineData("department.mp4")]
    [InlineData("tmp.mp4")]
    [InlineData("partial-colon.mp4")]
    public void IsIgnored_OrdinaryName_False(string name)
    {
        Assert.False(DropFileNames.IsIgnored(name));
    }
}
