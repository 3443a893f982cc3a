using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.NodeHealth;

public static class NodeHealthRegistration
{
    /// <summary>The store of the nodes' latest heartbeats (the gRPC call itself is part of the Transfer service).</summary>
    public static IServiceCollection AddNodeHealth(this IServiceCollection services)
    {
        services.TryAddScoped<NodeHealthStore>();
        return services;
    }
}
