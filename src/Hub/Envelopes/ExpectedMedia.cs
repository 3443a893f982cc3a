using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Envelopes;

/// <summary>The plaintext a boundary expects from an envelope: its SHA-256 and, when the boundary knows it, its size.</summary>
internal sealed record ExpectedMedia(string Sha256, long? SizeBytes = null)
{
    public bool Matches(StagedContent staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        return string.Equals(staged.Sha256, Sha256, StringComparison.Ordinal) && (SizeBytes is not { } size || staged.SizeBytes == size);
    }
}
