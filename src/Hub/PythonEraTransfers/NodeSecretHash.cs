using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// Node secrets hashed exactly as Django's <c>PBKDF2PasswordHasher</c> does
/// (<c>pbkdf2_sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;base64 of 32 bytes&gt;</c>, PBKDF2-HMAC-SHA256 over the
/// UTF-8 secret and the UTF-8 salt), so a hash exported from a Python hub verifies here unchanged.
/// </summary>
internal static class NodeSecretHash
{
    public const string Algorithm = "pbkdf2_sha256";

    /// <summary>Django 5.0's default work factor.</summary>
    public const int DefaultIterations = 870_000;

    /// <summary>A hash with fewer iterations is refused on import: it would be cheap to brute-force.</summary>
    public const int MinimumIterations = 1_000;

    public const int MaximumIterations = 10_000_000;

    private const int HashBytes = 32;
    private const string SaltAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A new hash with a random 22-character salt, as Django makes one.</summary>
    public static string Create(string secret, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var salt = RandomNumberGenerator.GetString(SaltAlphabet, 22);
        return Encode(secret, salt, iterations);
    }

    public static string Encode(string secret, string salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(salt), iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Algorithm}${iterations}${salt}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Null when <paramref name="encoded"/> is a well-formed hash; otherwise what is wrong with it (never the value).</summary>
    public static string? Problem(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm)
        {
            return $"the hash must have the form {Algorithm}$<iterations>$<salt>$<base64 hash>";
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinimumIterations || iterations > MaximumIterations)
        {
            return $"the iteration count must be a whole number from {MinimumIterations} to {MaximumIterations}";
        }

        if (parts[2].Length is 0 or > 128 || parts[2].Any(c => c is < '!' or > '~'))
        {
            return "the salt must be 1 to 128 printable ASCII characters";
        }

        Span<byte> hash = stackalloc byte[64];
        if (!Convert.TryFromBase64String(parts[3], hash, out var written) || written != HashBytes)
        {
            return "the hash must be the base64 of 32 bytes";
        }

        return null;
    }

    /// <summary>True when <paramref name="secret"/> matches; a malformed stored hash matches nothing.</summary>
    public static bool Verify(string secret, string? encoded)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (encoded is null || Problem(encoded) is not null)
        {
            return false;
        }

        var parts = encoded.Split('$');
        var iterations = int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts[2]), iterations, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
