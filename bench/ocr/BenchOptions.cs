using System.Globalization;

namespace LxAnnotate.Bench.Ocr;

/// <summary>Command line of the benchmark.</summary>
/// <param name="Videos">Corpus size.</param>
/// <param name="MinSeconds">Length of the shortest video; the lengths grow geometrically up to <paramref name="MaxSeconds"/>.</param>
/// <param name="MaxSeconds">Length of the longest video.</param>
/// <param name="Fps">Frame rate of the generated videos.</param>
/// <param name="Seed">Seed of the invented overlay values.</param>
/// <param name="Report">Also write the report (Markdown) to this file.</param>
/// <param name="BaselineEvery">Also run every n-th video (0: none) through the previous settings, for a ratio taken in the same invocation.</param>
internal sealed record BenchOptions(int Videos, double MinSeconds, double MaxSeconds, int Fps, int Seed, string? Report, int BaselineEvery)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(20, 10, 120, 25, 42, null, 0);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--baseline")
            {
                options = options with { BaselineEvery = 1 };
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {args[i]} needs a value");
            }
            var value = args[++i];
            options = args[i - 1] switch
            {
                "--videos" => options with { Videos = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { MinSeconds = Seconds(value), MaxSeconds = Seconds(value) },
                "--min-seconds" => options with { MinSeconds = Seconds(value) },
                "--max-seconds" => options with { MaxSeconds = Seconds(value) },
                "--fps" => options with { Fps = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--report" => options with { Report = value },
                "--baseline-every" => options with { BaselineEvery = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i - 1]}"),
            };
        }
        return options.MinSeconds > 0 && options.MaxSeconds >= options.MinSeconds && options.Videos > 0
            ? options
            : throw new ArgumentException("need --videos > 0 and 0 < --min-seconds <= --max-seconds");
    }

    /// <summary>Length of video <paramref name="index"/>: geometric steps from the shortest to the longest, so short and long videos both weigh in the fit.</summary>
    public double SecondsOf(int index) =>
        Videos == 1 ? MinSeconds : Math.Round(MinSeconds * Math.Pow(MaxSeconds / MinSeconds, (double)index / (Videos - 1)), 1);

    private static double Seconds(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
