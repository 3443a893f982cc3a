using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Processing.Gender;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Deterministic replacements seeded from a document's SHA-256: the same document always gets the same
/// pseudonyms, date shifts and digits, different documents get unrelated ones. Each choice is an
/// HMAC-SHA256 (key = the document hash) of a purpose label and the original value. A first name is drawn from the
/// names of the person's gender (<see cref="FirstNameGenders"/>), so a pseudonym never contradicts its salutation.
/// </summary>
internal sealed class ReportPseudonyms
{
    private static readonly string[] LastNames =
    [
        "Becker", "Krause", "Lehmann", "Vogel", "Hartmann", "Brandt", "Seidel", "Winter", "Kuhn", "Lorenz", "Franke", "Albrecht",
        "Busch", "Roth", "Sommer", "Engel", "Pohl", "Horn", "Graf", "Ludwig", "Jansen", "Haas", "Kraft", "Otto", "Stein", "Berger",
    ];

    private readonly byte[] key;

    /// <param name="documentSha256">Hex SHA-256 of the document.</param>
    public ReportPseudonyms(string documentSha256)
    {
        key = Encoding.ASCII.GetBytes(documentSha256.ToLowerInvariant());
        BirthShiftDays = -365 - (int)(Draw("shift:birth", "") % 836); // −365 … −1200
        ExaminationShiftDays = (int)(Draw("shift:exam", "") % 61) - 30; // −30 … +30
    }

    /// <summary>Days added to the date of birth (−1200 … −365).</summary>
    public int BirthShiftDays { get; }

    /// <summary>Days added to every other date (−30 … +30).</summary>
    public int ExaminationShiftDays { get; }

    /// <summary>
    /// A first-name pseudonym for <paramref name="original"/>, in its letter case: a female name for
    /// <see cref="PatientGenders.Female"/>, a male one for <see cref="PatientGenders.Male"/>, otherwise one given to
    /// both; never <paramref name="original"/> nor one of <paramref name="avoid"/> (the report's real names).
    /// </summary>
    public string FirstName(string original, string? gender, IReadOnlySet<string>? avoid = null) =>
        Pick(FirstNameGenders.PoolFor(gender), "first", original, avoid);

    /// <summary>A last-name pseudonym for <paramref name="original"/>, in its letter case.</summary>
    public string LastName(string original) => Pick(LastNames, "last", original);

    /// <summary>
    /// <paramref name="original"/> with every digit replaced by a derived digit (same length, other characters
    /// kept, a leading non-zero digit stays non-zero).
    /// </summary>
    public string Digits(string original)
    {
        var hash = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("digits:" + original));
        var chars = original.ToCharArray();
        var first = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiDigit(chars[i]))
            {
                continue;
            }
            var b = hash[i % hash.Length] ^ (i / hash.Length * 31);
            chars[i] = first && chars[i] != '0' ? (char)('1' + (b % 9)) : (char)('0' + (b % 10));
            first = false;
        }
        return new string(chars);
    }

    private string Pick(IReadOnlyList<string> names, string purpose, string original, IReadOnlySet<string>? avoid = null)
    {
        var index = (int)(Draw(purpose, original.ToLowerInvariant()) % (ulong)names.Count);
        // Step on past a name that would put a real one back into the text; every pool has more names than a
        // report has name parts, so this ends.
        for (var step = 0; step < names.Count; step++)
        {
            var name = names[(index + step) % names.Count];
            if (!string.Equals(name, original, StringComparison.OrdinalIgnoreCase) && avoid?.Contains(name) != true)
            {
                return MatchCase(name, original);
            }
        }
        throw new InvalidOperationException("No pseudonym is left that differs from the report's names.");
    }

    private ulong Draw(string purpose, string value) =>
        BitConverter.ToUInt64(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + ":" + value)), 0);

    /// <summary>Upper case when the original is all upper case, lower when all lower, else as listed.</summary>
    private static string MatchCase(string name, string original)
    {
        var letters = original.Where(char.IsLetter).ToList();
        if (letters.Count >= 2 && letters.All(char.IsUpper))
        {
            return name.ToUpperInvariant();
        }
        return letters.Count > 0 && letters.All(char.IsLower) ? name.ToLowerInvariant() : name;
    }
}
