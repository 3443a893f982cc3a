using LxAnnotate.Shared.Storage;

namespace LxAnnotate.Hub.Storage;

/// <summary>The hub's storage file system has no room left: what a caller is told, so it keeps the artifact and retries.</summary>
internal static class StorageFull
{
    /// <summary>The text every boundary answers with; it names the condition the hub's log names too.</summary>
    public const string Message = "The hub's storage is full (No space left on device); nothing was stored. Keep the artifact and send it again later.";

    /// <summary>True for ENOSPC or EDQUOT anywhere in the chain of <paramref name="ex"/>.</summary>
    public static bool Is(Exception ex) => NoSpace.InChain(ex);
}
