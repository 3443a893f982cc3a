namespace LxAnnotate.Hub.Domain;

/// <summary>
/// A processor profile: the screen layout of an endoscopy processor (reference frame size and the
/// regions where it draws the image and the patient overlay). ROIs scale to the real frame size.
/// </summary>
public sealed class EndoscopyProcessor
{
    /// <summary>Name of the profile shipped with the hub (seeded by migration).</summary>
    public const string OlympusCv1500 = "olympus_cv_1500";

    public long Id { get; set; }

    /// <summary>Unique, machine-facing (<c>olympus_cv_1500</c>).</summary>
    public required string Name { get; set; }

    public int ImageWidth { get; set; }

    public int ImageHeight { get; set; }

    public required ProcessorRois Rois { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<CenterProcessor> Centers { get; } = [];
}
