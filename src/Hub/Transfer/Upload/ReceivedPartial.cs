namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// A transfer's partial file once every declared byte arrived: where it is, the SHA-256 of the bytes received, whether
/// it is LXENC01, and the SHA-256 the sender's Upload trailer declared (null without a trailer).
/// </summary>
internal sealed record ReceivedPartial(string Path, string Sha256, bool Encrypted, string? SenderSha256 = null);
