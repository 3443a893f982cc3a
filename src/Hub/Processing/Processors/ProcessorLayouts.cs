using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Processors;

/// <summary>Maps a stored processor profile to the <see cref="OverlayLayout"/> the OCR reader and the masker use.</summary>
internal static class ProcessorLayouts
{
    public static OverlayLayout ToOverlayLayout(EndoscopyProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        var regions = new Dictionary<OverlayField, RoiRect>();
        foreach (var (name, roi) in processor.Rois.ByName())
        {
            if (!OverlayFieldNames.TryParse(name, out var field))
            {
                throw new InvalidOperationException($"Processor field '{name}' has no overlay field.");
            }

            regions[field] = new RoiRect(roi.X, roi.Y, roi.Width, roi.Height);
        }

        return new OverlayLayout(processor.Name, processor.ImageWidth, processor.ImageHeight, regions);
    }
}
