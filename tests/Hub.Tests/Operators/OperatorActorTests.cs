using LxAnnotate.Hub.Operators;

namespace LxAnnotate.Hub.Tests.Operators;

public sealed class OperatorActorTests
{
    private static Func<string, string?> Environment(string? sudoUser, string? user) =>
        name => name switch
        {
            "SUDO_USER" => sudoUser,
            "USER" => user,
            _ => null,
        };

    [Fact]
    public void Resolve_ActorOption_WinsOverEnvironment() =>
        Assert.Equal("alice", OperatorActor.Resolve(" alice ", Environment("bob", "root")));

    [Fact]
    public void Resolve_UnderSudo_IsTheInvokingUser() =>
        Assert.Equal("bob", OperatorActor.Resolve(null, Environment("bob", "root")));

    [Fact]
    public void Resolve_WithoutSudo_IsUser() =>
        Assert.Equal("carol", OperatorActor.Resolve(null, Environment("", "carol")));

    [Fact]
    public void Resolve_NothingInEnvironment_IsTheOsUserName() =>
        Assert.Equal(System.Environment.UserName, OperatorActor.Resolve(null, Environment(null, null)));

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    public void Resolve_UnusableActorOption_Refuses(string actor)
    {
        var refusal = Assert.Throws<OperatorException>(() => OperatorActor.Resolve(actor, Environment("bob", "root")));

        Assert.Equal(OperatorErrorKind.InvalidArgument, refusal.Kind);
        Assert.Contains("--actor", refusal.Message, StringComparison.Ordinal);
    }
}
