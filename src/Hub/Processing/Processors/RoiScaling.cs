using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Processors;

/// <summary>
/// Maps a processor's regions from its reference frame to the real frame: x and width scale by
/// frameWidth/referenceWidth, y and height by frameHeight/referenceHeight, rounded to whole pixels and
/// clipped to the frame, so a 1280×720 recording of a 1920×1080 layout gets the same regions.
/// </summary>
internal static class RoiScaling
{
    public static ProcessorRoi Scale(ProcessorRoi roi, int referenceWidth, int referenceHeight, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameHeight);

        var sx = (double)frameWidth / referenceWidth;
        var sy = (double)frameHeight / referenceHeight;
        var left = Clamp((int)Math.Round(roi.X * sx, MidpointRounding.AwayFromZero), frameWidth);
        var top = Clamp((int)Math.Round(roi.Y * sy, MidpointRounding.AwayFromZero), frameHeight);
        var right = Clamp((int)Math.Round((roi.X + roi.Width) * sx, MidpointRounding.AwayFromZero), frameWidth);
        var bottom = Clamp((int)Math.Round((roi.Y + roi.Height) * sy, MidpointRounding.AwayFromZero), frameHeight);
        return new ProcessorRoi(left, top, right - left, bottom - top);
    }

    /// <summary>Every region of <paramref name="processor"/> scaled to the frame, by field name.</summary>
    public static IReadOnlyDictionary<string, ProcessorRoi> ScaleAll(EndoscopyProcessor processor, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(processor);
        return processor.Rois.ByName().ToDictionary(
            p => p.Key,
            p => Scale(p.Value, processor.ImageWidth, processor.ImageHeight, frameWidth, frameHeight),
            StringComparer.Ordinal);
    }

    private static int Clamp(int value, int max) => Math.Clamp(value, 0, max);
}
