namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>The deploy tests share one release artifact (built once per run) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DeployTestGroup : ICollectionFixture<ReleaseArtifactFixture>
{
    public const string Name = "deploy";
}
