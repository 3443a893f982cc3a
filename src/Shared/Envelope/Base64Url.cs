namespace LxAnnotate.Shared.Envelope;

/// <summary>Unpadded base64url (RFC 4648 §5) with a canonical check: decoding and re-encoding must give the same text.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The bytes, or null when <paramref name="text"/> is not canonical unpadded base64url.</summary>
    public static byte[]? TryDecodeCanonical(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length % 4 == 1 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return null;
        }

        var standard = text.Replace('-', '+').Replace('_', '/');
        standard += new string('=', (4 - (standard.Length % 4)) % 4);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(standard);
        }
        catch (FormatException)
        {
            return null;
        }

        // Non-zero trailing bits decode to the same bytes but are a second spelling: refused.
        return string.Equals(Encode(bytes), text, StringComparison.Ordinal) ? bytes : null;
    }
}
