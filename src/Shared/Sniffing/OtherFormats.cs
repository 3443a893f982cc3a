namespace LxAnnotate.Shared.Sniffing;

/// <summary>
/// What libmagic would call a file the hub does not take: text, a common binary format, or
/// <see cref="ContentTypeResolver.OctetStream"/> for data of no recognisable format. Only that last answer lets
/// the original fall back to the file name, so a format is listed here when a file of it, misnamed as a video
/// or a report, must stay refused.
/// </summary>
public static class OtherFormats
{
    private static readonly (byte[] Magic, int Offset, string Type)[] Signatures =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G'], 0, "image/png"),
        ([0xFF, 0xD8, 0xFF], 0, "image/jpeg"),
        ("GIF8"u8.ToArray(), 0, "image/gif"),
        ([(byte)'P', (byte)'K', 0x03, 0x04], 0, "application/zip"),
        ([0x1F, 0x8B], 0, "application/gzip"),
        ([0x7F, (byte)'E', (byte)'L', (byte)'F'], 0, "application/x-executable"),
        ([0x1A, 0x45, 0xDF, 0xA3], 0, "video/x-matroska"),
        ("OggS"u8.ToArray(), 0, "application/ogg"),
        ("FLV"u8.ToArray(), 0, "video/x-flv"),
        ([0x00, 0x00, 0x01, 0xBA], 0, "video/mpeg"),
        ([0x00, 0x00, 0x01, 0xB3], 0, "video/mpeg"),
        ("ID3"u8.ToArray(), 0, "audio/mpeg"),
        ("WAVE"u8.ToArray(), 8, "audio/x-wav"),
        ("WEBP"u8.ToArray(), 8, "image/webp"),
        ("7z"u8.ToArray(), 0, "application/x-7z-compressed"),
        ("II*\0"u8.ToArray(), 0, "image/tiff"),
        ("MM\0*"u8.ToArray(), 0, "image/tiff"),
    ];

    /// <summary>The type libmagic reports for <paramref name="head"/> (never a type the hub accepts).</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, offset, type) in Signatures)
        {
            if (head.Length >= offset + magic.Length && head.Slice(offset, magic.Length).SequenceEqual(magic))
            {
                return type;
            }
        }

        return LooksLikeText(head) ? "text/plain" : ContentTypeResolver.OctetStream;
    }

    /// <summary>
    /// libmagic's test for text (ASCII, ISO-8859 or extended ASCII): no byte of the set it never finds in text,
    /// i.e. 0x00-0x06, 0x0E-0x1A, 0x1C-0x1F and 0x7F. Control characters such as tab, form feed, backspace or
    /// escape and every byte from 0x80 are allowed.
    /// </summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b <= 0x06 || b is >= 0x0E and <= 0x1A || b is >= 0x1C and <= 0x1F || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
