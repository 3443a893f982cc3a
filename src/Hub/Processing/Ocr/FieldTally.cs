namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// One overlay field over the sampled frames: every read is counted, only reads that parse as the field's kind
/// vote (<see cref="FieldVote{T}"/>), and <see cref="Decide"/> keeps the leading value only when its mean OCR
/// confidence and its share of the sampled frames reach <see cref="OverlayReaderOptions"/>' thresholds.
/// </summary>
internal sealed class FieldTally<T>(Func<T, bool> isKind, IEqualityComparer<T>? comparer = null)
    where T : notnull
{
    private readonly FieldVote<T> vote = new(comparer);

    /// <summary>Frames that gave any read of the field, plausible or not.</summary>
    public int Reads { get; private set; }

    /// <summary>Counts <paramref name="read"/> and, when it is of the field's kind, votes for it.</summary>
    public void Add(FieldRead<T>? read)
    {
        if (read is null)
        {
            return;
        }
        Reads++;
        if (read.LineFits && isKind(read.Value))
        {
            vote.Add(read.Value, read.Confidence);
        }
    }

    /// <summary>True when the leader has <paramref name="minimumVotes"/> votes and would be kept after <paramref name="frames"/> frames.</summary>
    public bool WouldKeep(int frames, int minimumVotes, OverlayReaderOptions options) =>
        vote.HasAgreement(minimumVotes) && Decide(frames, options).Value is not null;

    /// <summary>The kept value (null when dropped) and how it was decided, over <paramref name="frames"/> sampled frames.</summary>
    public (VoteResult<T>? Value, FieldQuality Quality) Decide(int frames, OverlayReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = vote.Result();
        if (result is null)
        {
            return (null, new FieldQuality(0, 0, 0, Reads, frames, false, Reads == 0 ? FieldDropReasons.NotRead : FieldDropReasons.Implausible));
        }
        var confidence = result.MeanConfidence;
        var agreement = frames <= 0 ? 0 : (double)result.Votes / frames;
        var dropped = confidence * 100 < options.MinConfidence ? FieldDropReasons.Confidence
            : agreement < options.MinAgreement ? FieldDropReasons.Agreement
            : null;
        var quality = new FieldQuality(Math.Round(confidence, 3), Math.Round(agreement, 3), result.Votes, Reads, frames, dropped is null, dropped);
        return (dropped is null ? result : null, quality);
    }
}
