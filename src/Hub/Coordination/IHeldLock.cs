namespace LxAnnotate.Hub.Coordination;

/// <summary>A lock taken through <see cref="DatabaseLocks"/>; disposing it releases it.</summary>
internal interface IHeldLock : IAsyncDisposable
{
    /// <summary>False once the session that holds the lock is gone (the database restarted, the connection broke).</summary>
    Task<bool> StillHeldAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The database session that holds the lock, or null when the lock lives in memory. Its holder may ask short
    /// queries on it (never while another is running): a long stream that checks something per chunk then needs no
    /// connection from the pool for each check.
    /// </summary>
    System.Data.Common.DbConnection? Session { get; }
}
