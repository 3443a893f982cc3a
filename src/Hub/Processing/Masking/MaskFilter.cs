using System.Globalization;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>Builds the ffmpeg filters that paint everything outside the endoscope picture black. Pure functions.</summary>
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
    /// The endoscope picture the masked video keeps: the scaled <c>endoscope_image</c> region with its edges moved inwards
    /// to even pixels, or null when nothing of it remains. Even edges because 4:2:0 chroma covers 2×2 pixels and
    /// <c>crop</c>/<c>pad</c> round odd offsets down, which would keep a pixel column of the overlay; moving inwards
    /// only ever masks more.
    /// </summary>
    public static RoiRect? KeptRegion(OverlayLayout layout, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var keep = layout.ScaledTo(width, height)[OverlayField.EndoscopeImage];
        var left = keep.X + (keep.X & 1);
        var top = keep.Y + (keep.Y & 1);
        var right = keep.Right & ~1;
        var bottom = keep.Bottom & ~1;
        return right > left && bottom > top ? new RoiRect(left, top, right - left, bottom - top) : null;
    }

    /// <summary>
    /// The masked encode's video filters as (name, options): <c>crop</c> to <see cref="KeptRegion"/> and <c>pad</c> back to the
    /// frame size in black at the same place, so everything outside the kept region is black. That is what the
    /// <see cref="Boxes"/> as filled <c>drawbox</c>es paint (pixel for pixel where the region has even edges, a column or row more
    /// where one is odd), at a tenth of drawbox's cost (its
    /// per-pixel loop took a third of the CPU of an x264 ultrafast encode; docs/performance.md). Empty when the whole
    /// frame is kept; one black box over the whole frame when nothing is.
    /// </summary>
    public static IReadOnlyList<(string Name, string Options)> EncodeFilters(OverlayLayout layout, int width, int height)
    {
        if (KeptRegion(layout, width, height) is not { } keep)
        {
            return [("drawbox", DrawboxOptions(new RoiRect(0, 0, width, height)))];
        }
        if (keep == new RoiRect(0, 0, width, height))
        {
            return [];
        }
        return
        [
            ("crop", string.Create(CultureInfo.InvariantCulture, $"{keep.Width}:{keep.Height}:{keep.X}:{keep.Y}")),
            ("pad", string.Create(CultureInfo.InvariantCulture, $"{width}:{height}:{keep.X}:{keep.Y}:black")),
        ];
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
