namespace LxAnnotate.Hub.Coordination;

/// <summary>
/// The lease of the periodic work that must run on one replica at a time. Each caller's tick asks
/// <see cref="HoldAsync"/>: the holder confirms its lock session is alive, the others try to take the lease, so
/// it moves to another replica within one tick of its holder's death.
/// </summary>
internal sealed partial class SingletonLease(IServiceScopeFactory scopes, ReplicaIdentity replica, ILogger<SingletonLease> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile IHeldLock? held;

    /// <summary>As of the last <see cref="HoldAsync"/>: whether this replica holds the lease.</summary>
    public bool Held => held is not null;

    public string ReplicaId => replica.Id;

    /// <summary>True when this replica holds the lease now (confirmed, or just taken).</summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (held is { } current)
            {
                if (await current.StillHeldAsync(cancellationToken))
                {
                    return true;
                }

                held = null;
                await current.DisposeAsync();
                LogLost(logger, replica.Id);
            }

            await using var scope = scopes.CreateAsyncScope();
            held = await scope.ServiceProvider.GetRequiredService<DatabaseLocks>().TryAcquireAsync(LockKeys.SingletonLease, "lease", cancellationToken);
            if (held is not null)
            {
                LogTaken(logger, replica.Id);
            }

            return held is not null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Released on a clean stop, so another replica takes over at its next tick.</summary>
    public async ValueTask DisposeAsync()
    {
        if (held is { } current)
        {
            held = null;
            await current.DisposeAsync();
        }

        gate.Dispose();
    }

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Replica {ReplicaId} holds the singleton lease: it runs the transfer expiry sweep")]
    private static partial void LogTaken(ILogger logger, string replicaId);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Replica {ReplicaId} lost the singleton lease (its database session ended)")]
    private static partial void LogLost(ILogger logger, string replicaId);
}
