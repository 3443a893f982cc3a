using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Processing;

internal static class ProcessingRegistration
{
    /// <summary>
    /// Registers the queue, the pipeline and its stages; needs the database and runtime settings.
    /// Stages that are not installed (<see cref="IVideoAnonymizer"/>, <see cref="IReportProcessor"/>) are
    /// simply not registered.
    /// </summary>
    public static IServiceCollection AddProcessing(this IServiceCollection services, WorkerSettings settings, string salt)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.TryAddSingleton(MediaToolPaths.In(settings.FfmpegDirectory));
        services.TryAddSingleton<ToolRunner>();
        services.AddSingleton(new SaltProvider(salt));
        services.TryAddSingleton(EncryptionSettings.Disabled);
        services.TryAddSingleton<ContentStore>();
        services.TryAddSingleton<EncryptedArtifactStore>();
        services.AddSingleton<SensitiveArtifactWriter>();
        services.AddSingleton<ISensitiveMetaStore, DatabaseSensitiveMetaStore>();
        services.AddSingleton<IVideoProbe, FfprobeVideoProbe>();
        services.AddScoped<JobQueue>();
        services.TryAddSingleton<Metrics.WorkerMetrics>();
        services.AddScoped<JobPipeline>();
        return services;
    }

    /// <summary>Installs the anonymization stages: overlay OCR + masked video, and report processing.</summary>
    public static IServiceCollection AddAnonymizationStages(this IServiceCollection services)
    {
        services.AddMediaProcessing();
        services.AddSingleton<IVideoAnonymizer, OverlayVideoAnonymizer>();
        services.AddSingleton<IReportProcessor, PdfReportProcessor>();
        return services;
    }
}
