namespace LxAnnotate.Hub.Coordination;

/// <summary>A lock taken through <see cref="DatabaseLocks"/>; disposing it releases it.</summary>
internal interface IHeldLock : IAsyncDisposable
{
    /// <summary>False once the session that holds the lock is gone (the database restarted, the connection broke).</summary>
    Task<bool> StillHeldAsync(CancellationToken cancellationToken);
}
