namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Content to copy in: its plaintext, and for an original LXENC01 file also its bytes as they are (copied unchanged
/// into the encrypted class). <see cref="Sha256"/> and <see cref="SizeBytes"/> are the plaintext's, measured before the copy.
/// </summary>
internal sealed record ImportSource(Func<Stream> OpenPlaintext, Func<Stream>? OpenCiphertext, string Sha256, long SizeBytes);
