using LxAnnotate.Hub.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Enrollment;

internal static class EnrollmentRegistration
{
    /// <summary>Registers enrollment and renewal; needs the database registered.</summary>
    public static IServiceCollection AddNodeEnrollment(this IServiceCollection services, NodeCertificateOptions hub)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(NodeSigningSettings.From(hub));
        services.AddScoped<EnrollmentService>();
        return services;
    }
}
