namespace LxAnnotate.Hub.Storage;

/// <summary>Bytes written and hashed under <c>STORAGE_DIR/incoming</c>, not yet in place.</summary>
/// <param name="Path">Absolute path of the staged file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
/// <param name="SizeBytes">Length of the file.</param>
/// <param name="Durable">
/// True when the bytes were fsynced. A boundary that stages without fsync (REST) leaves it to the ingest core,
/// which fsyncs them before they are committed, or encrypts them into a new, fsynced file and drops them.
/// </param>
/// <param name="Encrypted">
/// True when the file is LXENC01 ciphertext (<see cref="Encryption.EncryptedArtifactStore.StageAsync"/>); the hash and
/// size are still the plaintext's. Such a file is committed as it is into the encrypted class.
/// </param>
/// <param name="KeptOnOutage">
/// True when the file is a transfer's partial file, which the sender resumes: a database outage while its job is
/// recorded leaves it where it is, so the resumed call completes from the recorded offset instead of sending it all again.
/// </param>
public sealed record StagedContent(string Path, string Sha256, long SizeBytes, bool Durable = true, bool Encrypted = false, bool KeptOnOutage = false);
