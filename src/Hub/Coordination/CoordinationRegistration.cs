using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Coordination;

internal static class CoordinationRegistration
{
    /// <summary>The locks and the lease shared by the replicas; the replica's name defaults to host name and pid.</summary>
    public static IServiceCollection AddReplicaCoordination(this IServiceCollection services)
    {
        services.TryAddSingleton(ReplicaIdentity.Default);
        services.TryAddSingleton<InProcessLockTable>();
        services.TryAddScoped<DatabaseLocks>();
        services.TryAddSingleton<SingletonLease>();
        return services;
    }
}
