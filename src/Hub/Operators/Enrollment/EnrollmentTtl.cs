using System.Globalization;

namespace LxAnnotate.Hub.Operators.Enrollment;

/// <summary>Lifetime of an enrollment token as operators write it: <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>.</summary>
internal static class EnrollmentTtl
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    /// <summary>A token is a credential in transit (chat, e-mail, paper); a month is long enough to carry it to a site.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    public static TimeSpan Parse(string? text)
    {
        if (text is null)
        {
            return Default;
        }

        var value = text.Trim();
        TimeSpan? ttl = value.Length < 2 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > 1_000_000
            ? null
            : value[^1] switch
            {
                's' => TimeSpan.FromSeconds(number),
                'm' => TimeSpan.FromMinutes(number),
                'h' => TimeSpan.FromHours(number),
                'd' => TimeSpan.FromDays(number),
                _ => null,
            };

        if (ttl is null)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "--ttl must be a whole number with s, m, h or d (e.g. 24h)");
        }

        if (ttl > Maximum)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "--ttl must be at most 30d");
        }

        return ttl.Value;
    }
}
