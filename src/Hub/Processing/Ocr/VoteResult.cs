namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>The winning value of a per-field vote over frames.</summary>
/// <param name="Value">The value most frames read.</param>
/// <param name="Confidence">0…1: mean OCR confidence of the winning reads × their share of all reads.</param>
/// <param name="Votes">Frames that read the winning value.</param>
/// <param name="TotalVotes">Frames that read any value for the field.</param>
internal sealed record VoteResult<T>(T Value, double Confidence, int Votes, int TotalVotes)
    where T : notnull
{
    /// <summary>0…1: mean OCR confidence of the winning reads alone.</summary>
    public double MeanConfidence => Votes == 0 ? 0 : Confidence * TotalVotes / Votes;
}
