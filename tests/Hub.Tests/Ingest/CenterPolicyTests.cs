using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Tests.Ingest;

public sealed class CenterPolicyTests
{
    private const string Default = "center-a";
    private static readonly HashSet<string> Registered = ["center-a", "center-b"];

    private static readonly Dictionary<string, CallerIdentity> Callers = new()
    {
        ["anonymous"] = CallerIdentity.Anonymous,
        ["user(a)"] = CallerIdentity.ForUser("alice", ["center-a"]),
        ["user(a,x)"] = CallerIdentity.ForUser("xavier", ["center-a", "center-x"]),
        ["node(a)"] = CallerIdentity.ForNode("node-a1", "center-a", "AB"),
        ["watcher"] = CallerIdentity.LocalWatcher,
    };

    /// <summary>role × boundary × caller × declared center (null = undeclared, center-x = unknown) → outcome.</summary>
    public static TheoryData<string, string, string, string?, string> Table() => new()
    {
        // REST upload, standalone: default-center fallback allowed.
        { "standalone", "api", "anonymous", null, "center-a" },
        { "standalone", "api", "anonymous", "center-b", "center-b" },
        { "standalone", "api", "anonymous", "center-x", "CenterUnknown" },
        { "standalone", "api", "user(a)", null, "center-a" },
        { "standalone", "api", "user(a)", "center-a", "center-a" },
        { "standalone", "api", "user(a)", "center-b", "CenterForbidden" },
        { "standalone", "api", "node(a)", null, "Unauthenticated" },
        { "standalone", "api", "watcher", null, "Unauthenticated" },

        // REST upload, central hub: authenticated caller and declared center_key required, no fallback.
        { "central_hub", "api", "anonymous", null, "Unauthenticated" },
        { "central_hub", "api", "anonymous", "center-a", "Unauthenticated" },
        { "central_hub", "api", "user(a)", null, "CenterMissing" },
        { "central_hub", "api", "user(a)", "center-a", "center-a" },
        { "central_hub", "api", "user(a)", "center-b", "CenterForbidden" },
        { "central_hub", "api", "user(a)", "center-x", "CenterForbidden" },
        { "central_hub", "api", "user(a,x)", "center-x", "CenterUnknown" },
        { "central_hub", "api", "node(a)", "center-a", "Unauthenticated" },

        // REST upload is not served on a site node.
        { "site_node", "api", "anonymous", null, "BoundaryNotAvailable" },
        { "site_node", "api", "user(a)", "center-a", "BoundaryNotAvailable" },

        // Watcher: trusted local drop zone only.
        { "standalone", "watcher", "watcher", null, "center-a" },
        { "standalone", "watcher", "watcher", "center-b", "center-b" },
        { "standalone", "watcher", "watcher", "center-x", "CenterUnknown" },
        { "standalone", "watcher", "anonymous", null, "Unauthenticated" },
        { "central_hub", "watcher", "watcher", null, "center-a" },
        { "central_hub", "watcher", "watcher", "center-b", "center-b" },
        { "central_hub", "watcher", "watcher", "center-x", "CenterUnknown" },
        { "central_hub", "watcher", "user(a)", "center-a", "Unauthenticated" },
        { "site_node", "watcher", "watcher", null, "center-a" },
        { "site_node", "watcher", "watcher", "center-a", "center-a" },
        { "site_node", "watcher", "watcher", "center-b", "CenterForbidden" },
        { "site_node", "watcher", "watcher", "center-x", "CenterForbidden" },

        // Transfer: the node's certificate decides the center.
        { "central_hub", "transfer", "node(a)", null, "center-a" },
        { "central_hub", "transfer", "node(a)", "center-a", "center-a" },
        { "central_hub", "transfer", "node(a)", "center-b", "CenterForbidden" },
        { "central_hub", "transfer", "node(a)", "center-x", "CenterForbidden" },
        { "central_hub", "transfer", "anonymous", "center-a", "Unauthenticated" },
        { "central_hub", "transfer", "user(a)", "center-a", "Unauthenticated" },
        { "central_hub", "transfer", "watcher", null, "Unauthenticated" },
        { "standalone", "transfer", "node(a)", "center-a", "center-a" },
        { "standalone", "transfer", "node(a)", "center-b", "CenterForbidden" },
        { "site_node", "transfer", "node(a)", "center-a", "BoundaryNotAvailable" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Resolve_RoleBoundaryCallerDeclared_GivesTheTableOutcome(string role, string boundary, string caller, string? declared, string expected)
    {
        Assert.True(DeploymentRoles.TryParse(role, out var parsedRole));
        var decision = CenterPolicy.Resolve(parsedRole, WireNames.ParseIngestMode(boundary), declared, Callers[caller], Default, Registered.Contains);

        var outcome = decision.IsResolved ? decision.CenterKey : decision.Rejection.ToString();
        Assert.Equal(expected, outcome);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
    }

    [Theory]
    [InlineData("standalone", "api", "anonymous")]
    [InlineData("standalone", "watcher", "watcher")]
    [InlineData("central_hub", "watcher", "watcher")]
    [InlineData("site_node", "watcher", "watcher")]
    public void Resolve_UndeclaredWithoutDefaultCenter_IsCenterMissing(string role, string boundary, string caller)
    {
        Assert.True(DeploymentRoles.TryParse(role, out var parsedRole));

        var decision = CenterPolicy.Resolve(parsedRole, WireNames.ParseIngestMode(boundary), null, Callers[caller], null, Registered.Contains);

        Assert.Equal(IngestRejectionReason.CenterMissing, decision.Rejection);
        Assert.Contains("LX_ANNOTATE_DEFAULT_CENTER", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DefaultCenterNotRegistered_IsCenterUnknownNamingTheDefault()
    {
        var decision = CenterPolicy.Resolve(DeploymentRole.Standalone, IngestMode.Api, null, CallerIdentity.Anonymous, "center-gone", Registered.Contains);

        Assert.Equal(IngestRejectionReason.CenterUnknown, decision.Rejection);
        Assert.Contains("default center", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Center A")]
    [InlineData("../etc")]
    [InlineData("CENTER-A")]
    public void Resolve_MalformedCenterKey_IsInvalidInput(string declared)
    {
        var decision = CenterPolicy.Resolve(DeploymentRole.Standalone, IngestMode.Api, declared, CallerIdentity.Anonymous, Default, Registered.Contains);

        Assert.Equal(IngestRejectionReason.InvalidInput, decision.Rejection);
    }
}
