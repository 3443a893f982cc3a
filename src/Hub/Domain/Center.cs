namespace LxAnnotate.Hub.Domain;

/// <summary>A hospital. <see cref="CenterKey"/> is the only machine-facing identifier and never changes.</summary>
public sealed class Center
{
    public long Id { get; set; }

    public required string CenterKey { get; init; }

    public required string Name { get; set; }

    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
