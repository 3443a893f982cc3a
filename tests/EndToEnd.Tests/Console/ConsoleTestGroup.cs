namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>The console test classes share one hub, OIDC provider and browser (<see cref="ConsoleFixture"/>) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleTestGroup : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
