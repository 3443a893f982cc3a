using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Operators;

internal static class OperatorRegistration
{
    /// <summary>Registers the operator service; needs the database and the ingest core (time) registered.</summary>
    public static IServiceCollection AddOperators(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(OperatorSettings.From(configuration));
        services.AddScoped<OperatorService>();
        services.AddScoped<Processing.Operators.ProcessingOperatorService>();
        return services;
    }
}
