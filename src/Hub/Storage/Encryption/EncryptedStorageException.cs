namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// An LXENC01 file is malformed, truncated, tampered with, or no configured master key opens it. The
/// message names the problem, never key material or plaintext; no plaintext of the failing chunk was released.
/// </summary>
public sealed class EncryptedStorageException : IOException
{
    public EncryptedStorageException(string message)
        : base(message)
    {
    }

    public EncryptedStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
