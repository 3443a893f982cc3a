using System.Globalization;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>Builds the ffmpeg filter that paints everything outside the endoscope picture black. A pure function.</summary>
internal static class MaskFilter
{
    /// <summary>
    /// The black boxes (top, bottom, left, right bands around the scaled <c>endoscope_image</c> region) for a
    /// <paramref name="width"/> × <paramref name="height"/> frame; empty bands are left out.
    /// </summary>
    public static IReadOnlyList<RoiRect> Boxes(OverlayLayout layout, int width, int height)
    {
        var keep = layout.ScaledTo(width, height)[OverlayField.EndoscopeImage];
        var boxes = new List<RoiRect>
        {
            new(0, 0, width, keep.Y),
            new(0, keep.Bottom, width, height - keep.Bottom),
            new(0, keep.Y, keep.X, keep.Height),
            new(keep.Right, keep.Y, width - keep.Right, keep.Height),
        };
        return boxes.Where(b => b.Width > 0 && b.Height > 0).ToList();
    }

    /// <summary>
    /// The <c>-vf</c> value: one <c>drawbox …:t=fill</c> per box (drawbox reads a zero width or height as the
    /// full frame, which is why empty boxes never reach it), or <c>null</c> when nothing is to be painted.
    /// </summary>
    public static string Build(IReadOnlyList<RoiRect> boxes) =>
        boxes.Count == 0 ? "null" : string.Join(',', boxes.Select(b => "drawbox=" + DrawboxOptions(b)));

    /// <summary>
    /// The options of one filled black <c>drawbox</c> (FFMpegCore has no drawbox builder, so the masker hands this
    /// to <c>VideoFilterOptions.WithCustomFilter("drawbox", …)</c>).
    /// </summary>
    public static string DrawboxOptions(RoiRect box) =>
        string.Create(CultureInfo.InvariantCulture, $"x={box.X}:y={box.Y}:w={box.Width}:h={box.Height}:color=black:t=fill");
}
