using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>A processor profile with its regions by field name and the centers that use it.</summary>
internal sealed record ProcessorView(
    string Name,
    int ImageWidth,
    int ImageHeight,
    IReadOnlyDictionary<string, ProcessorRoi> Rois,
    IReadOnlyList<string> Centers,
    IReadOnlyList<string> DefaultFor)
{
    public static ProcessorView From(EndoscopyProcessor processor, IReadOnlyList<(string CenterKey, bool IsDefault)> centers)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(centers);
        return new ProcessorView(processor.Name, processor.ImageWidth, processor.ImageHeight, processor.Rois.ByName(),
            centers.Select(c => c.CenterKey).Order(StringComparer.Ordinal).ToList(),
            centers.Where(c => c.IsDefault).Select(c => c.CenterKey).Order(StringComparer.Ordinal).ToList());
    }
}
