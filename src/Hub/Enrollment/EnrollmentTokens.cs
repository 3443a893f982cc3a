using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.Enrollment;

/// <summary>
/// One-time enrollment tokens: 32 random bytes as URL-safe base64 (no padding), so they survive a shell,
/// a URL and an e-mail unchanged. The database keeps only <see cref="Hash"/>: a token's 256 bits of entropy
/// make a plain SHA-256 enough (no salt or stretching needed against guessing).
/// </summary>
internal static class EnrollmentTokens
{
    public const int RandomBytes = 32;

    public static string Create() => Base64Url(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>Lower-case hex SHA-256 of the token's text, as stored in <c>enrollment_tokens.token_hash</c>.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim())));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
