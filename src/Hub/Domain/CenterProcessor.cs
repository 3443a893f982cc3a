namespace LxAnnotate.Hub.Domain;

/// <summary>A center uses a processor; at most one per center is its default (partial unique index).</summary>
public sealed class CenterProcessor
{
    public long CenterId { get; set; }

    public Center? Center { get; set; }

    public long ProcessorId { get; set; }

    public EndoscopyProcessor? Processor { get; set; }

    public bool IsDefault { get; set; }
}
