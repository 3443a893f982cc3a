namespace LxAnnotate.Hub.Coordination;

/// <summary>One entry of <see cref="InProcessLockTable"/>; released once, however often it is disposed.</summary>
internal sealed class InProcessLock(Action release) : IHeldLock
{
    private int released;

    public System.Data.Common.DbConnection? Session => null;

    public Task<bool> StillHeldAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref released) == 0);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            release();
        }

        return ValueTask.CompletedTask;
    }
}
