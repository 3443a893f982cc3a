using System.Globalization;

namespace LxAnnotate.Bench.Ocr;

/// <summary>Command line of the benchmark.</summary>
internal sealed record BenchOptions(int Videos, double Seconds, int Fps, int Seed, string? Report)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(20, 10, 25, 42, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--videos" => options with { Videos = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--fps" => options with { Fps = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--report" => options with { Report = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
