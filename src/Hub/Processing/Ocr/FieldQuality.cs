using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// How one overlay field was decided over the sampled frames. Holds numbers only, never the value read, so it may
/// be stored beside the hashes and shown to operators.
/// </summary>
/// <param name="Confidence">0…1: mean Tesseract confidence of the frames that read the leading value (0 when none did).</param>
/// <param name="Agreement">0…1: share of the sampled frames that read the leading value.</param>
/// <param name="Votes">Frames that read the leading value.</param>
/// <param name="Reads">Frames whose region gave any text parsed as the field, plausible or not.</param>
/// <param name="Frames">Frames sampled and read.</param>
/// <param name="Kept">True when the value passed every rule and was kept.</param>
/// <param name="Dropped">Why it was not kept: <c>not_read</c>, <c>implausible</c> (no read parsed as the field's kind), <c>confidence</c> or <c>agreement</c>; null when kept.</param>
internal sealed record FieldQuality(
    double Confidence,
    double Agreement,
    int Votes,
    int Reads,
    int Frames,
    bool Kept,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Dropped);
