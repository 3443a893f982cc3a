namespace LxAnnotate.Hub.Storage;

/// <summary>The hub's storage file system has no room left: what a caller is told, so it keeps the artifact and retries.</summary>
internal static class StorageFull
{
    private const int Enospc = 28;
    private const int Edquot = 122;

    /// <summary>The text every boundary answers with; it names the condition the hub's log names too.</summary>
    public const string Message = "The hub's storage is full (No space left on device); nothing was stored. Keep the artifact and send it again later.";

    /// <summary>True for ENOSPC or EDQUOT anywhere in the chain of <paramref name="ex"/>.</summary>
    public static bool Is(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: Enospc or Edquot })
            {
                return true;
            }
        }

        return false;
    }
}
