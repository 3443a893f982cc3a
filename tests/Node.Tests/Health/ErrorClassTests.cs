using LxAnnotate.Node.Health;

namespace LxAnnotate.Node.Tests.Health;

public sealed class ErrorClassTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("Unavailable: the hub is restarting", "Unavailable")]
    [InlineData("PermissionDenied: center 'c' refused for /import/Mustermann.mp4", "PermissionDenied")]
    [InlineData("connection to the hub lost: ConnectionError", "connection_lost")]
    [InlineData("The outbox copy of the file is missing.", "other")]
    [InlineData("14: looks like a code", "other")]
    [InlineData("Mustermann, Max: not a status", "other")]
    [InlineData("OK, Cancelled: a list of names", "other")]
    public void Of_LastError_OnlyTheClassNeverTheMessage(string? lastError, string? expected) => Assert.Equal(expected, ErrorClass.Of(lastError));
}
