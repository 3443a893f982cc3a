using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Operators.Centers;

internal sealed record CenterView(string CenterKey, string Name, string? DisplayName, DateTimeOffset CreatedAt)
{
    public static CenterView From(Center center) => new(center.CenterKey, center.Name, center.DisplayName, center.CreatedAt);
}
