using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace LxAnnotate.Shared.Envelope;

/// <summary>X25519 keys as PEM (PKCS#8 private, SubjectPublicKeyInfo public) and their key id.</summary>
public static class X25519Keys
{
    /// <summary>The key id: lower-case hex SHA-256 of the raw 32-byte public key.</summary>
    public static string KeyId(X25519PublicKeyParameters publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Convert.ToHexStringLower(SHA256.HashData(publicKey.GetEncoded()));
    }

    /// <exception cref="FormatException">Not an unencrypted PKCS#8 PEM X25519 private key.</exception>
    public static X25519PrivateKeyParameters ReadPrivateKeyPem(string pem)
    {
        var der = ReadPem(pem, "PRIVATE KEY");
        try
        {
            return PrivateKeyFactory.CreateKey(der) as X25519PrivateKeyParameters
                ?? throw new FormatException("the key is not an X25519 key");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or SecurityUtilityException)
        {
            throw new FormatException("not a PKCS#8 X25519 private key", ex);
        }
    }

    /// <exception cref="FormatException">Not a PEM X25519 public key (SubjectPublicKeyInfo).</exception>
    public static X25519PublicKeyParameters ReadPublicKeyPem(string pem)
    {
        var der = ReadPem(pem, "PUBLIC KEY");
        try
        {
            return PublicKeyFactory.CreateKey(der) as X25519PublicKeyParameters
                ?? throw new FormatException("the key is not an X25519 key");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or SecurityUtilityException)
        {
            throw new FormatException("not an X25519 public key", ex);
        }
    }

    public static string PrivateKeyPem(X25519PrivateKeyParameters key) =>
        new string(PemEncoding.Write("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded())) + "\n";

    public static string PublicKeyPem(X25519PublicKeyParameters key) =>
        new string(PemEncoding.Write("PUBLIC KEY", SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetEncoded())) + "\n";

    private static byte[] ReadPem(string pem, string label)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual(label))
        {
            throw new FormatException($"expected a PEM block '{label}'");
        }

        return Convert.FromBase64String(pem[fields.Base64Data]);
    }
}
