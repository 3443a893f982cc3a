namespace LxAnnotate.Hub.Ingest;

/// <summary>Who hands an artifact to the ingest core, as the boundary authenticated it.</summary>
public sealed record CallerIdentity
{
    private CallerIdentity(CallerKind kind) => Kind = kind;

    public CallerKind Kind { get; }

    /// <summary>User subject or node key; safe to log (no secret, no patient data).</summary>
    public string? Subject { get; private init; }

    /// <summary>Centers a user may upload to.</summary>
    public IReadOnlySet<string> CenterScope { get; private init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The center a node is bound to.</summary>
    public string? NodeCenterKey { get; private init; }

    public string? CertificateThumbprint { get; private init; }

    public static CallerIdentity Anonymous { get; } = new(CallerKind.Anonymous);

    public static CallerIdentity LocalWatcher { get; } = new(CallerKind.LocalWatcher) { Subject = "local-watcher" };

    public static CallerIdentity ForUser(string subject, IEnumerable<string> centerScope) =>
        new(CallerKind.User) { Subject = subject, CenterScope = centerScope.ToHashSet(StringComparer.Ordinal) };

    public static CallerIdentity ForNode(string nodeKey, string nodeCenterKey, string? certificateThumbprint) =>
        new(CallerKind.Node) { Subject = nodeKey, NodeCenterKey = nodeCenterKey, CertificateThumbprint = certificateThumbprint };
}
