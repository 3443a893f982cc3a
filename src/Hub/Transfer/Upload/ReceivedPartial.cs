namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>A transfer's partial file once every declared byte arrived: where it is, the SHA-256 of the bytes received, and whether it is LXENC01.</summary>
internal sealed record ReceivedPartial(string Path, string Sha256, bool Encrypted);
