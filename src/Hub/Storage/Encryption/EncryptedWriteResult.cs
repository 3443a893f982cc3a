namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>What was encrypted into a file.</summary>
/// <param name="PlaintextLength">Bytes of plaintext; a reader checks it to detect a file cut at a record boundary.</param>
/// <param name="PlaintextSha256">Lower-case hex SHA-256 of the plaintext (the dedup key).</param>
public sealed record EncryptedWriteResult(long PlaintextLength, string PlaintextSha256);
