using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.ProtectedMedia;

internal static class MediaRegistration
{
    /// <summary>Resolves and registers <see cref="ProtectedMediaOptions"/> (nginx serves media by default on a central hub).</summary>
    public static ProtectedMediaOptions AddProtectedMedia(this IServiceCollection services, HubEnvironment environment, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new ProtectedMediaOptions
        {
            AccelRedirect = environment.Bool(ProtectedMediaOptions.AccelRedirectVariable, role == DeploymentRole.CentralHub),
        };
        return services.AddResolvedOptions<ProtectedMediaOptions, ProtectedMediaOptionsValidator>(options);
    }
}
