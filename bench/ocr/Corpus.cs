using LxAnnotate.TestSupport.Media;

namespace LxAnnotate.Bench.Ocr;

/// <summary>A deterministic corpus of invented overlay values: names with umlauts, dates in several forms, font sizes 18–24 px.</summary>
internal static class Corpus
{
    private static readonly string[] FirstNames =
    [
        "Jürgen", "Björn", "Ännchen", "Günther", "Jörg", "Käthe", "Müge", "Sören", "Hans-Jörg", "Renée", "Dörte", "Ulf",
        "Anna", "Friedrich", "Lotte", "Maximilian", "Özlem", "Till", "Wiebke", "Ines",
    ];

    private static readonly string[] LastNames =
    [
        "Müller", "Weiß", "Groß-Öztürk", "Schäfer", "Köhler", "Bäcker", "Fuß", "Höfler", "Krämer", "Straßburger", "Lübke",
        "Nußbaum", "Jäger", "Böhm", "Wagner", "Özdemir", "Dürr", "Schröder", "Hartmann", "Großmann",
    ];

    private static readonly string[] Types = ["CF-HQ190L", "GIF-H190", "PCF-H190DL", "GIF-1TH190", "CF-H185L", "TJF-Q190V"];
    private static readonly string[] DateFormats = ["dd.MM.yyyy", "d.M.yy", "yyyy-MM-dd"];

    public static IReadOnlyList<FakeOverlayPatient> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var result = new List<FakeOverlayPatient>();
        for (var i = 0; i < count; i++)
        {
            var dob = new DateOnly(1930, 1, 1).AddDays(random.Next(0, 75 * 365));
            var exam = new DateOnly(2015, 1, 1).AddDays(random.Next(0, 11 * 365));
            result.Add(new FakeOverlayPatient(
                FirstNames[random.Next(FirstNames.Length)],
                LastNames[random.Next(LastNames.Length)],
                dob,
                exam,
                new TimeOnly(random.Next(6, 22), random.Next(0, 60)),
                Types[random.Next(Types.Length)],
                random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                DobFormat: DateFormats[random.Next(DateFormats.Length)],
                ExamDateFormat: DateFormats[random.Next(DateFormats.Length)],
                FontSize: 18 + random.Next(0, 7),
                LastCommaFirst: random.Next(4) == 0));
        }
        return result;
    }
}
