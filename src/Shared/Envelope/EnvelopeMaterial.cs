using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Shared.Envelope;

/// <summary>The random inputs of one encryption; fixed only by known-answer tests.</summary>
public sealed record EnvelopeMaterial(
    X25519PrivateKeyParameters EphemeralKey,
    byte[] WrapSalt,
    byte[] WrapNonce,
    byte[] DataEncryptionKey,
    byte[] PayloadNonce)
{
    public static EnvelopeMaterial Random()
    {
        var random = new SecureRandom();
        return new EnvelopeMaterial(
            new X25519PrivateKeyParameters(random),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(16),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(12),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    }
}
