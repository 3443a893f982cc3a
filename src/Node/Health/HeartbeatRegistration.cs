using Microsoft.Extensions.Configuration;

namespace LxAnnotate.Node.Health;

internal static class HeartbeatRegistration
{
    /// <summary>The heartbeat of <c>lxa-node run</c>, with its interval from <c>LXA_NODE_HEARTBEAT_SECONDS</c>.</summary>
    public static IServiceCollection AddNodeHeartbeat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(HeartbeatSettings.Resolve(key => configuration[key]));
        services.AddSingleton<NodeStateReader>();
        services.AddHostedService<HeartbeatService>();
        return services;
    }
}
