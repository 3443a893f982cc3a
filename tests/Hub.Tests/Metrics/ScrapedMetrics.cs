using System.Globalization;

namespace LxAnnotate.Hub.Tests.Metrics;

/// <summary>One scrape of <c>/metrics</c> (text format), by series: <c>name{label="value",…}</c> with labels sorted.</summary>
internal sealed class ScrapedMetrics(IReadOnlyDictionary<string, double> series)
{
    public IReadOnlyDictionary<string, double> Series { get; } = series;

    public static ScrapedMetrics Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var split = line.LastIndexOf(' ');
            var key = line[..split];
            var brace = key.IndexOf('{', StringComparison.Ordinal);
            if (brace > 0)
            {
                var labels = key[(brace + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
                key = key[..brace] + "{" + string.Join(',', labels) + "}";
            }

            series[key] = double.Parse(line[(split + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return new ScrapedMetrics(series);
    }

    /// <summary>The value of a series; a counter never touched is absent, which is 0.</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        var key = labels.Length == 0 ? name : name + "{" + string.Join(',', labels.Select(l => $"{l.Label}=\"{l.Value}\"").Order(StringComparer.Ordinal)) + "}";
        return Series.GetValueOrDefault(key);
    }

    public bool Has(string name, params (string Label, string Value)[] labels)
    {
        var key = labels.Length == 0 ? name : name + "{" + string.Join(',', labels.Select(l => $"{l.Label}=\"{l.Value}\"").Order(StringComparer.Ordinal)) + "}";
        return Series.ContainsKey(key);
    }
}
