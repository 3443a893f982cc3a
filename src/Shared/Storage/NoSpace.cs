namespace LxAnnotate.Shared.Storage;

/// <summary>
/// Recognises a full file system in an I/O error: ENOSPC (no space left on device) or EDQUOT (disk quota exceeded),
/// which .NET surfaces on Linux as an <see cref="IOException"/> whose <see cref="Exception.HResult"/> is the errno.
/// Node and hub both treat it as the machine's condition, not the artifact's: keep it and try again later.
/// </summary>
public static class NoSpace
{
    private const int Enospc = 28;
    private const int Edquot = 122;

    /// <summary>True when <paramref name="error"/> itself is ENOSPC or EDQUOT.</summary>
    public static bool IsNoSpace(this IOException error) => error.HResult is Enospc or Edquot;

    /// <summary>True for ENOSPC or EDQUOT anywhere in the chain of <paramref name="error"/>.</summary>
    public static bool InChain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException io && io.IsNoSpace())
            {
                return true;
            }
        }

        return false;
    }
}
