using System.Collections.Frozen;

namespace LxAnnotate.Hub.Processing.Gender;

/// <summary>
/// The gender of a first name from the original's first-name data (embedded <c>first_names_female.txt</c> and
/// <c>first_names_male.txt</c>), and the names pseudonyms are drawn from. A name on both lists or on neither is
/// <see cref="PatientGenders.Unknown"/>, as the original's report reader maps androgynous and unlisted names.
/// </summary>
internal static class FirstNameGenders
{
    private static readonly FrozenSet<string> FemaleNames = Load("first_names_female.txt");

    private static readonly FrozenSet<string> MaleNames = Load("first_names_male.txt");

    private static readonly FrozenSet<string> UnisexNames = Load("first_names_unisex.txt");

    /// <summary>Female-only names of one word, in list order: the pseudonyms for a woman.</summary>
    public static IReadOnlyList<string> Female { get; } = PoolOf(FemaleNames, MaleNames);

    /// <summary>Male-only names of one word, in list order: the pseudonyms for a man.</summary>
    public static IReadOnlyList<string> Male { get; } = PoolOf(MaleNames, FemaleNames);

    /// <summary>Names given to women and men alike (on neither list): the pseudonyms when the gender is unknown.</summary>
    public static IReadOnlyList<string> Unisex { get; } = [.. UnisexNames.Order(StringComparer.Ordinal)];

    /// <summary>
    /// <see cref="PatientGenders.Female"/>, <see cref="PatientGenders.Male"/> or <see cref="PatientGenders.Unknown"/>
    /// for <paramref name="firstName"/>; null when there is no name. A name not listed as a whole is decided by its
    /// first listed part (<c>Jörg-Peter</c> by <c>Jörg</c>, <c>Anna Lena</c> by <c>Anna</c>).
    /// </summary>
    public static string? Guess(string? firstName)
    {
        if (string.IsNullOrWhiteSpace(firstName))
        {
            return null;
        }
        var whole = Of(firstName.Trim());
        if (whole is not null)
        {
            return whole;
        }
        foreach (var part in firstName.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Of(part) is { } gender)
            {
                return gender;
            }
        }
        return PatientGenders.Unknown;
    }

    /// <summary>The pseudonym pool for <paramref name="gender"/> (unisex when null or unknown).</summary>
    public static IReadOnlyList<string> PoolFor(string? gender) => gender switch
    {
        PatientGenders.Female => Female,
        PatientGenders.Male => Male,
        _ => Unisex,
    };

    /// <summary>The gender of one listed name; null when it is on no list.</summary>
    private static string? Of(string name)
    {
        var female = FemaleNames.Contains(name);
        var male = MaleNames.Contains(name);
        return (female, male) switch
        {
            (true, false) => PatientGenders.Female,
            (false, true) => PatientGenders.Male,
            (true, true) => PatientGenders.Unknown,
            _ => UnisexNames.Contains(name) ? PatientGenders.Unknown : null,
        };
    }

    private static List<string> PoolOf(FrozenSet<string> names, FrozenSet<string> other) =>
        [.. names.Where(n => !n.Contains(' ', StringComparison.Ordinal) && !other.Contains(n)).Order(StringComparer.Ordinal)];

    private static FrozenSet<string> Load(string file)
    {
        var name = typeof(FirstNameGenders).Namespace + "." + file;
        using var stream = typeof(FirstNameGenders).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded first-name list {name} is missing.");
        using var reader = new StreamReader(stream);
        var names = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line);
            }
        }
        // Case-insensitive: reports and overlays write names in capitals as often as not.
        return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
