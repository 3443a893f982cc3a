namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// What the sender declared in the last message of an Upload call (<c>UploadTrailer</c>): the SHA-256 of the whole
/// artifact as it read it. Set once the trailer is read, which is after the last chunk.
/// </summary>
internal sealed class SenderTrailer
{
    /// <summary>Lower-case hex; null when the call ended without a trailer.</summary>
    public string? Sha256 { get; set; }
}
