namespace LxAnnotate.Node.Tests.Support;

/// <summary>
/// The first bytes of files the drop folders take, since the watcher decides a file's type from its bytes: enough
/// for the type to be recognised, not a playable file (the watcher never decodes).
/// </summary>
internal static class DropBytes
{
    /// <summary>An ISO MP4: a 24-byte <c>ftyp</c> box (brand isom) followed by an empty <c>mdat</c>.</summary>
    public static byte[] Mp4 => [.. Box("ftyp", "isom\0\0\u0002\0isomiso2"u8), .. Box("mdat", []), .. "payload"u8];

    /// <summary>An Apple QuickTime file: <c>ftyp</c> with the major brand <c>qt  </c>.</summary>
    public static byte[] QuickTime => [.. Box("ftyp", "qt  \0\0\u0002\0qt  "u8), .. Box("mdat", [])];

    /// <summary>An ISO file with the M4V brand (Apple's name for MP4 video).</summary>
    public static byte[] M4v => [.. Box("ftyp", "M4V \0\0\u0002\0M4V isom"u8), .. Box("mdat", [])];

    /// <summary>A RIFF AVI header.</summary>
    public static byte[] Avi => [.. "RIFF"u8, 0x24, 0, 0, 0, .. "AVI LIST"u8, 0, 0, 0, 0, .. "hdrlavih"u8, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>An EBML header with DocType <c>matroska</c>.</summary>
    public static byte[] Matroska => Ebml("matroska"u8);

    /// <summary>An EBML header with DocType <c>webm</c>.</summary>
    public static byte[] WebM => Ebml("webm"u8);

    /// <summary>A PDF header and a line of text.</summary>
    public static byte[] Pdf => [.. "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n"u8];

    private static byte[] Box(string type, ReadOnlySpan<byte> body)
    {
        var size = 8 + body.Length;
        return [(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size, .. System.Text.Encoding.ASCII.GetBytes(type), .. body];
    }

    private static byte[] Ebml(ReadOnlySpan<byte> docType)
    {
        // EBMLVersion 1, ReadVersion 1, MaxIDLength 4, MaxSizeLength 8, DocType, DocTypeVersion 4, DocTypeReadVersion 2.
        byte[] body =
        [
            0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08,
            0x42, 0x82, (byte)(0x80 | docType.Length), .. docType, 0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02,
        ];
        return [0x1A, 0x45, 0xDF, 0xA3, (byte)(0x80 | body.Length), .. body, 0x18, 0x53, 0x80, 0x67, 0x01, 0xFF];
    }
}
