using System.Globalization;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// Command line of the load generator. Every bound has a default: the run ends after <see cref="Seconds"/> per
/// scenario or <see cref="MaxPerNode"/> artifacts per node, whichever comes first.
/// </summary>
internal sealed record LoadOptions
{
    public int Nodes { get; init; } = 200;

    public int Centers { get; init; } = 20;

    public IReadOnlyList<int> Replicas { get; init; } = [1, 3];

    public int Seconds { get; init; } = 60;

    public int MaxPerNode { get; init; } = 2000;

    public int SmallBytes { get; init; } = 100 * 1024;

    public int LargeBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Every n-th artifact of a node is a large one sent with <c>Offer</c> and <c>Upload</c>; 0: none.</summary>
    public int LargeEvery { get; init; } = 10;

    public string? Report { get; init; }

    public const string Usage =
        "usage: LxAnnotate.Bench.LoadGen [--nodes 200] [--centers 20] [--replicas 1,3] [--seconds 60] [--max-per-node 2000]\n" +
        "       [--small-kib 100] [--large-kib 4096] [--large-every 10] [--report FILE]\n" +
        "PostgreSQL: LXA_TEST_POSTGRES (an admin connection string; one database per scenario is created and dropped).";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--nodes" => options with { Nodes = Positive(args[i], value) },
                "--centers" => options with { Centers = Positive(args[i], value) },
                "--replicas" => options with { Replicas = value.Split(',').Select(v => Positive(args[i], v)).ToList() },
                "--seconds" => options with { Seconds = Positive(args[i], value) },
                "--max-per-node" => options with { MaxPerNode = Positive(args[i], value) },
                "--small-kib" => options with { SmallBytes = Positive(args[i], value) * 1024 },
                "--large-kib" => options with { LargeBytes = Positive(args[i], value) * 1024 },
                "--large-every" => options with { LargeEvery = int.Parse(value, CultureInfo.InvariantCulture) },
                "--report" => options with { Report = value },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
            i++;
        }

        if (options.Centers > options.Nodes)
        {
            throw new ArgumentException("--centers must not exceed --nodes.");
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");
}
