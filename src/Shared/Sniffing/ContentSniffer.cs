using System.Buffers.Binary;

namespace LxAnnotate.Shared.Sniffing;

/// <summary>
/// Decides a file's content type from its first bytes, for every way a file enters (REST upload, Python-era
/// transfer, the node's drop folders). The declared type and the file name are not trusted: a misnamed file would
/// otherwise reach the media pipeline as something it is not.
/// </summary>
public static class ContentSniffer
{
    /// <summary>Bytes read from the start of a file; enough for every signature below.</summary>
    public const int HeadLength = 32;

    public const string Pdf = "application/pdf";
    public const string Mp4 = "video/mp4";
    public const string QuickTime = "video/quicktime";
    public const string Avi = "video/x-msvideo";
    public const string Wmv = "video/x-ms-wmv";

    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    private static ReadOnlySpan<byte> AsfHeaderGuid =>
        [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];

    /// <summary>The content type of a file that starts with <paramref name="head"/>; null when it is none the hub accepts.</summary>
    /// <param name="head">The first bytes of the file (up to <see cref="HeadLength"/>).</param>
    /// <param name="totalLength">Length of the whole file, to tell an ISO box from text that happens to spell an atom name.</param>
    public static string? Detect(ReadOnlySpan<byte> head, long totalLength)
    {
        if (head.StartsWith(PdfMagic))
        {
            return Pdf;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("AVI "u8))
        {
            return Avi;
        }

        if (head.StartsWith(AsfHeaderGuid))
        {
            return Wmv;
        }

        if (head.Length >= 8 && IsPlausibleBoxSize(BinaryPrimitives.ReadUInt32BigEndian(head), totalLength))
        {
            var type = head[4..8];
            if (type.SequenceEqual("ftyp"u8))
            {
                // The major brand says which family wrote the file; "qt  " is Apple QuickTime, the rest ISO MP4.
                return head.Length >= 12 && head[8..12].SequenceEqual("qt  "u8) ? QuickTime : Mp4;
            }

            // Classic QuickTime files (before ftyp existed) start straight with one of these top-level atoms.
            if (type.SequenceEqual("moov"u8) || type.SequenceEqual("mdat"u8) || type.SequenceEqual("wide"u8) || type.SequenceEqual("free"u8))
            {
                return QuickTime;
            }
        }

        return null;
    }

    /// <summary>Reads the head of a staged file and detects its type.</summary>
    public static async Task<string?> DetectFileAsync(string path, CancellationToken cancellationToken)
    {
        var (head, length) = await ReadHeadAsync(path, HeadLength, cancellationToken);
        return Detect(head, length);
    }

    /// <summary>Up to <paramref name="count"/> bytes from the start of the file at <paramref name="path"/>, and the file's length.</summary>
    public static async Task<(byte[] Head, long Length)> ReadHeadAsync(string path, int count, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        var head = new byte[count];
        var filled = 0;
        int read;
        while (filled < head.Length && (read = await file.ReadAsync(head.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return (head[..filled], file.Length);
    }

    /// <summary>0 means "to the end of the file", 1 means a 64-bit size follows; otherwise a box holds at least its 8-byte header and fits in the file.</summary>
    private static bool IsPlausibleBoxSize(uint size, long totalLength) => size is 0 or 1 || (size >= 8 && size <= totalLength);
}
