namespace LxAnnotate.Node.Files;

/// <summary>
/// What a drop folder remembers between scans, per path: since when its signature is unchanged (ready after
/// <c>stableAfter</c>, the watcher's readiness rule), and what the drop-folder watcher notes
/// about taking it. Used from the scan's one thread only.
/// </summary>
internal sealed class FileTracker(TimeSpan stableAfter, TimeProvider time)
{
    private readonly Dictionary<string, TrackedFile> tracked = new(StringComparer.Ordinal);

    /// <summary>Records an observation; true once the signature held for <c>stableAfter</c>, else when it will.</summary>
    public bool IsStable(string path, FileSignature signature, out DateTimeOffset readyAt)
    {
        var now = time.GetUtcNow();
        if (tracked.TryGetValue(path, out var entry))
        {
            entry.Observe(signature, now);
        }
        else
        {
            tracked[path] = entry = new TrackedFile(signature, now);
        }

        readyAt = entry.Since + stableAfter;
        return now >= readyAt;
    }

    /// <summary>The entry of a path already observed in this scan.</summary>
    public TrackedFile this[string path] => tracked[path];

    /// <summary>The entry of <paramref name="path"/>, created when it failed before it could be observed.</summary>
    public TrackedFile ForFailure(string path)
    {
        if (!tracked.TryGetValue(path, out var entry))
        {
            tracked[path] = entry = new TrackedFile(default, time.GetUtcNow());
        }

        return entry;
    }

    public void Forget(string path) => tracked.Remove(path);

    /// <summary>Forgets every path a scan no longer saw.</summary>
    public void KeepOnly(IReadOnlySet<string> present)
    {
        foreach (var gone in tracked.Keys.Where(p => !present.Contains(p)).ToList())
        {
            tracked.Remove(gone);
        }
    }
}
