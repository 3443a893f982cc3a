using LxAnnotate.Hub.Configuration;

namespace LxAnnotate.Hub.Upload;

internal static class UploadRegistration
{
    /// <summary>Resolves and registers <see cref="UploadOptions"/>; a bad variable stops the build here.</summary>
    public static UploadOptions AddUploadOptions(this IServiceCollection services, HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new UploadOptions { MaxBytes = environment.PositiveNumber(UploadOptions.MaxBytesVariable, 1024L * 1024 * 1024) };
        return services.AddResolvedOptions<UploadOptions, UploadOptionsValidator>(options);
    }
}
