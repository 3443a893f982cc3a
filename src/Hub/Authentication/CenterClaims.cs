using System.Security.Claims;
using System.Text.Json;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// The centers a bearer token grants. Identity providers spell a multi-valued claim differently: as a
/// JSON array (one claim per element once parsed, or one claim holding the array text), as repeated
/// claims, or as one space- or comma-separated string. All of them mean the same set.
/// </summary>
internal static class CenterClaims
{
    private static readonly char[] Separators = [' ', ',', '\t'];

    public static IReadOnlySet<string> Read(ClaimsPrincipal principal, string claimType)
    {
        ArgumentNullException.ThrowIfNull(principal);

        var centers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in principal.FindAll(claimType))
        {
            foreach (var value in Split(claim.Value))
            {
                centers.Add(value);
            }
        }

        return centers;
    }

    private static IEnumerable<string> Split(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('['))
        {
            return FromJsonArray(trimmed);
        }

        return trimmed.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static List<string> FromJsonArray(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString()!.Trim())
                    .Where(s => s.Length > 0)
                    .ToList()
                : [];
        }
        catch (JsonException)
        {
            // Not JSON after all: a malformed claim grants nothing rather than a guessed center.
            return [];
        }
    }
}
