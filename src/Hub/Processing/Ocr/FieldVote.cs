namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Per-field majority vote over frames: each frame's read adds one vote with its OCR confidence (0…100).
/// The value with most votes wins; a tie goes to the higher confidence sum, then to the value seen first.
/// </summary>
internal sealed class FieldVote<T>
    where T : notnull
{
    private readonly Dictionary<T, (int Votes, double ConfidenceSum, int FirstSeen)> tally;
    private int total;

    public FieldVote(IEqualityComparer<T>? comparer = null) => tally = new(comparer);

    /// <summary>Adds one frame's read with Tesseract confidence <paramref name="confidence"/> (0…100).</summary>
    public void Add(T value, double confidence)
    {
        var c = Math.Clamp(confidence, 0, 100);
        tally[value] = tally.TryGetValue(value, out var entry)
            ? (entry.Votes + 1, entry.ConfidenceSum + c, entry.FirstSeen)
            : (1, c, tally.Count);
        total++;
    }

    /// <summary>Frames that read any value.</summary>
    public int TotalVotes => total;

    /// <summary>The winner, or null before any vote.</summary>
    public VoteResult<T>? Result()
    {
        if (total == 0)
        {
            return null;
        }
        var best = tally.OrderByDescending(e => e.Value.Votes).ThenByDescending(e => e.Value.ConfidenceSum).ThenBy(e => e.Value.FirstSeen).First();
        var confidence = best.Value.ConfidenceSum / best.Value.Votes / 100.0 * best.Value.Votes / total;
        return new VoteResult<T>(best.Key, confidence, best.Value.Votes, total);
    }

    /// <summary>
    /// True when the leader has at least <paramref name="minimumVotes"/> votes and more than every other
    /// value put together (so further frames cannot easily overturn it).
    /// </summary>
    public bool HasAgreement(int minimumVotes)
    {
        var result = Result();
        return result is not null && result.Votes >= minimumVotes && result.Votes > total - result.Votes;
    }
}
