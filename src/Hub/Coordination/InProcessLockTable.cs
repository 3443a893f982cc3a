using System.Collections.Concurrent;

namespace LxAnnotate.Hub.Coordination;

/// <summary>
/// The locks of a hub on SQLite: a standalone hub is one process on one file, so a table in memory is the whole
/// truth (the partial file's OS lock still guards each transfer as well).
/// </summary>
internal sealed class InProcessLockTable
{
    private readonly ConcurrentDictionary<long, byte> held = new();

    public IHeldLock? TryAcquire(long key) => held.TryAdd(key, 0) ? new InProcessLock(() => held.TryRemove(key, out _)) : null;

    public bool IsHeld(long key) => held.ContainsKey(key);
}
