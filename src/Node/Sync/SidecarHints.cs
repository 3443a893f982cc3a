using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Sidecars;

namespace LxAnnotate.Node.Sync;

/// <summary>The provenance hints an item's sidecar adds to its offer.</summary>
internal static class SidecarHints
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>
    /// The hints stored with the item when it was taken (the watcher parsed the sidecar then), so what is sent
    /// is what was validated at the drop. False, with the reason, when an older item's sidecar no longer validates.
    /// </summary>
    public static bool TryResolve(OutboxItem item, out IReadOnlyDictionary<string, string> hints, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(item);
        hints = None;
        problem = null;
        if (item.SidecarPath is null)
        {
            return true;
        }

        if (item.SidecarHints is { } stored)
        {
            hints = stored;
            return true;
        }

        // An item taken before the outbox stored hints (schema 2) has only its outbox copy of the sidecar: it is
        // read once per send, through the same reader the watcher used at the drop. This is safer than filling
        // the column when the outbox is upgraded: opening the outbox never reads files, and a sidecar that no
        // longer validates is refused and quarantined with its item (a missing one fails the item), as before.
        if (!SidecarReader.TryReadFile(item.SidecarPath, out var sidecar, out problem))
        {
            return false;
        }

        hints = sidecar!.ProvenanceHints;
        return true;
    }
}
