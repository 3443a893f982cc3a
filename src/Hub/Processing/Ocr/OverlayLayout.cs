using System.Globalization;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Where an endoscopy processor draws its overlay: a reference frame size and one region per
/// <see cref="OverlayField"/>. Regions are given for the reference size and scale to the real frame
/// (<see cref="ScaledTo"/>). <see cref="OverlayField.EndoscopeImage"/> is required; any other field may
/// be absent (it is then not read, and nothing extra is kept visible by the mask).
/// </summary>
internal sealed class OverlayLayout
{
    /// <summary>Creates a layout; every region must lie inside the reference frame and be non-empty.</summary>
    /// <exception cref="ArgumentException">The size or a region is invalid, or <c>endoscope_image</c> is missing.</exception>
    public OverlayLayout(string name, int referenceWidth, int referenceHeight, IReadOnlyDictionary<OverlayField, RoiRect> regions)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("layout name is empty", nameof(name));
        }
        if (referenceWidth <= 0 || referenceHeight <= 0)
        {
            throw new ArgumentException("reference size must be positive", nameof(referenceWidth));
        }
        foreach (var (field, roi) in regions)
        {
            if (roi.Width <= 0 || roi.Height <= 0 || roi.X < 0 || roi.Y < 0 || roi.Right > referenceWidth || roi.Bottom > referenceHeight)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"region {OverlayFieldNames.ToWireName(field)} ({roi.X},{roi.Y},{roi.Width},{roi.Height}) is empty or outside {referenceWidth}x{referenceHeight}"), nameof(regions));
            }
        }
        if (!regions.ContainsKey(OverlayField.EndoscopeImage))
        {
            throw new ArgumentException("layout has no endoscope_image region", nameof(regions));
        }
        Name = name;
        ReferenceWidth = referenceWidth;
        ReferenceHeight = referenceHeight;
        Regions = new Dictionary<OverlayField, RoiRect>(regions);
    }

    /// <summary>Profile name, e.g. <c>olympus_cv_1500</c>.</summary>
    public string Name { get; }

    /// <summary>Frame width the regions are given for.</summary>
    public int ReferenceWidth { get; }

    /// <summary>Frame height the regions are given for.</summary>
    public int ReferenceHeight { get; }

    /// <summary>Regions by field, in reference pixels.</summary>
    public IReadOnlyDictionary<OverlayField, RoiRect> Regions { get; }

    /// <summary>The regions scaled to a real <paramref name="frameWidth"/> × <paramref name="frameHeight"/> frame.</summary>
    public IReadOnlyDictionary<OverlayField, RoiRect> ScaledTo(int frameWidth, int frameHeight)
    {
        if (frameWidth <= 0 || frameHeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frameWidth), "frame size must be positive");
        }
        var sx = (double)frameWidth / ReferenceWidth;
        var sy = (double)frameHeight / ReferenceHeight;
        return Regions.ToDictionary(r => r.Key, r => r.Value.Scale(sx, sy, frameWidth, frameHeight));
    }
}
