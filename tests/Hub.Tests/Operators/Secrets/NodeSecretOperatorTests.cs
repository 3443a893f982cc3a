using LxAnnotate.Hub.PythonEraTransfers;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Operators.Secrets;

public sealed class NodeSecretOperatorTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SetNodeSecretAsync_Secret_StoresVerifyingHashAndAuditWithoutIt(TestDatabaseKind kind)
    {
        await using var harness = await OperatorHarness.CreateAsync(kind);
        await harness.AddCenterAsync();
        await harness.AddNodeAsync("site-a");

        var view = await harness.RunAsync(s => s.SetNodeSecretAsync("site-a", "s3cret-value-for-node", OperatorHarness.Actor, CancellationToken.None));

        Assert.False(view.Replaced);
        Assert.Equal(NodeSecretHash.DefaultIterations, view.Iterations);
        var stored = await harness.WithDbAsync(db => db.NetworkNodes.Where(n => n.NodeKey == "site-a").Select(n => n.SecretHash).SingleAsync());
        Assert.True(NodeSecretHash.Verify("s3cret-value-for-node", stored));
        var audit = (await harness.AuditEventsAsync()).Single(a => a.Action == "node_secret_set");
        Assert.DoesNotContain("s3cret", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(stored!, audit.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ImportNodeSecretHashAsync_MalformedOrUnknownNode_Refused(TestDatabaseKind kind)
    {
        await using var harness = await OperatorHarness.CreateAsync(kind);
        await harness.AddCenterAsync();
        await harness.AddNodeAsync("site-a");

        var malformed = await harness.RefusedAsync(s => s.ImportNodeSecretHashAsync("site-a", "sha1$abc$def", OperatorHarness.Actor, CancellationToken.None));
        var unknown = await harness.RefusedAsync(s => s.ImportNodeSecretHashAsync("site-x", NodeSecretHash.Encode("x", "salt", 1000), OperatorHarness.Actor, CancellationToken.None));
        var imported = await harness.RunAsync(s => s.ImportNodeSecretHashAsync("site-a", NodeSecretHash.Encode("from-python", "abc", 1000), OperatorHarness.Actor, CancellationToken.None));

        Assert.Equal(OperatorErrorKind.InvalidArgument, malformed.Kind);
        Assert.Equal(OperatorErrorKind.UnknownNode, unknown.Kind);
        Assert.Equal(1000, imported.Iterations);
    }
}
