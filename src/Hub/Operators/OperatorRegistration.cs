using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using LxAnnotate.Hub.Operators.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Operators;

internal static class OperatorRegistration
{
    /// <summary>Registers the operator services, one per aggregate; needs the database and the ingest core (time) registered.</summary>
    public static IServiceCollection AddOperators(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(OperatorSettings.From(configuration));
        services.AddScoped<OperatorSchema>();
        services.AddScoped<OperatorAuditTrail>();
        services.AddScoped<CenterOperations>();
        services.AddScoped<NodeOperations>();
        services.AddScoped<EnrollmentTokenOperations>();
        services.AddScoped<NodeSecretOperations>();
        services.AddScoped<CertificateOperations>();
        services.AddScoped<Processing.Operators.ProcessingOperatorService>();
        return services;
    }
}
