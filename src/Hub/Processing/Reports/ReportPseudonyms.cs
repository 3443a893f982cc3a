using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Deterministic replacements seeded from a document's SHA-256: the same document always gets the same
/// pseudonyms, date shifts and digits, different documents get unrelated ones. Each choice is an
/// HMAC-SHA256 (key = the document hash) of a purpose label and the original value.
/// </summary>
internal sealed class ReportPseudonyms
{
    private static readonly string[] FirstNames =
    [
        "Anna", "Bernd", "Clara", "Dieter", "Emma", "Frank", "Greta", "Heinz", "Ida", "Jonas", "Karla", "Lukas", "Mia", "Norbert",
        "Olga", "Paul", "Rita", "Stefan", "Tina", "Uwe", "Vera", "Walter", "Yvonne", "Zeno", "Hanna", "Felix", "Lena", "Moritz",
    ];

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

    /// <summary>A first-name pseudonym for <paramref name="original"/>, in its letter case.</summary>
    public string FirstName(string original) => Pick(FirstNames, "first", original);

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

    private string Pick(string[] names, string purpose, string original)
    {
        var lower = original.ToLowerInvariant();
        var index = (int)(Draw(purpose, lower) % (ulong)names.Length);
        var name = names[index];
        if (string.Equals(name, original, StringComparison.OrdinalIgnoreCase))
        {
            name = names[(index + 1) % names.Length];
        }
        return MatchCase(name, original);
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
