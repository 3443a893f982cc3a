namespace LxAnnotate.Bench.LoadGen;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentiles
{
    public static double? Of(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>Jain's fairness index of the per-node counts: 1 when all nodes got the same, 1/n when one got all.</summary>
    public static double Jain(IReadOnlyCollection<int> counts)
    {
        double sum = counts.Sum();
        double squares = counts.Sum(c => (double)c * c);
        return squares == 0 ? 1 : sum * sum / (counts.Count * squares);
    }
}
