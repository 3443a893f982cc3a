using Microsoft.Extensions.DependencyInjection.Extensions;
using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Reports;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing;

/// <summary>Registers the media-analysis components (all stateless singletons).</summary>
internal static class ProcessingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ToolRunner"/>, <see cref="VideoFrames"/>, <see cref="TesseractOcr"/>, <see cref="OverlayReader"/>,
    /// <see cref="VideoMasker"/>, <see cref="ReportTextExtractor"/>, <see cref="ReportPdfAnonymizer"/> and
    /// <see cref="ReportProcessor"/>. Needs a <see cref="TimeProvider"/> (added as <see cref="TimeProvider.System"/> when missing).
    /// </summary>
    public static IServiceCollection AddMediaProcessing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ToolRunner>();
        services.TryAddSingleton<VideoFrames>();
        services.TryAddSingleton<TesseractOcr>();
        services.TryAddSingleton<OverlayReader>();
        services.TryAddSingleton<VideoMasker>();
        services.TryAddSingleton<ReportTextExtractor>();
        services.TryAddSingleton<ReportPdfAnonymizer>();
        services.TryAddSingleton<ReportProcessor>();
        return services;
    }
}
