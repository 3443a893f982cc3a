using Org.BouncyCastle.Crypto.Parameters;

namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// The hub's X25519 recipient private keys, by key id. Several keys allow rotation: a sender encrypts to
/// one public key, and any key still listed here opens it.
/// </summary>
public sealed class RecipientKeyRing
{
    private readonly Dictionary<string, X25519PrivateKeyParameters> keys;

    public RecipientKeyRing(IEnumerable<X25519PrivateKeyParameters> privateKeys)
    {
        ArgumentNullException.ThrowIfNull(privateKeys);
        keys = new Dictionary<string, X25519PrivateKeyParameters>(StringComparer.Ordinal);
        foreach (var key in privateKeys)
        {
            keys[X25519Keys.KeyId(key.GeneratePublicKey())] = key;
        }
    }

    public static RecipientKeyRing Empty { get; } = new([]);

    public IReadOnlyCollection<string> KeyIds => keys.Keys;

    public X25519PrivateKeyParameters? Find(string keyId) => keys.GetValueOrDefault(keyId);

    /// <summary>
    /// Reads the key files with the checks a private key needs: absolute path, no symbolic link, a regular
    /// file, owned by root (unless <paramref name="requireRootOwned"/> is false), no group write and no
    /// access for others.
    /// </summary>
    /// <exception cref="InvalidDataException">A file fails a check; the message names the file and the check.</exception>
    public static RecipientKeyRing Load(IEnumerable<string> files, bool requireRootOwned)
    {
        ArgumentNullException.ThrowIfNull(files);
        var loaded = new List<X25519PrivateKeyParameters>();
        foreach (var file in files)
        {
            if (!Path.IsPathFullyQualified(file))
            {
                throw new InvalidDataException($"'{file}' is not an absolute path");
            }

            var info = new FileInfo(file);
            if (info.LinkTarget is not null)
            {
                throw new InvalidDataException($"'{file}' is a symbolic link; name the key file itself");
            }

            if (!info.Exists)
            {
                throw new InvalidDataException($"'{file}' does not exist or is not a regular file");
            }

            var owner = FileOwner.Of(file);
            if (requireRootOwned && owner != 0)
            {
                throw new InvalidDataException($"'{file}' is not owned by root (set ENDOREG_HUB_TRANSFER_REQUIRE_ROOT_OWNED_PRIVATE_KEYS=false to allow the service user)");
            }

            var mode = info.UnixFileMode;
            if ((mode & UnixFileMode.GroupWrite) != 0 || (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            {
                throw new InvalidDataException($"'{file}' must not be group-writable nor accessible to others (chmod 0600 or 0640)");
            }

            try
            {
                loaded.Add(X25519Keys.ReadPrivateKeyPem(File.ReadAllText(file)));
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"'{file}' is not an unencrypted PKCS#8 PEM X25519 private key");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"'{file}' cannot be read");
            }
        }

        return new RecipientKeyRing(loaded);
    }
}
