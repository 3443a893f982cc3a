namespace LxAnnotate.Shared.Sniffing;

/// <summary>
/// The content type of an uploaded or dropped file, decided as the original API decides it: by content first (libmagic
/// on the first <see cref="HeadLength"/> bytes), and by the file name only where libmagic has nothing to say
/// about the content (<c>application/octet-stream</c>: binary data of no known format). Text, or a binary
/// format the hub does not take, is never rescued by its name: a <c>notes.txt</c> renamed <c>report.pdf</c> is
/// refused as before.
/// </summary>
public static class ContentTypeResolver
{
    /// <summary>Bytes the original hands to libmagic.</summary>
    public const int HeadLength = 2048;

    /// <summary>What libmagic answers for data it cannot classify; only then does the name count.</summary>
    public const string OctetStream = "application/octet-stream";

    /// <summary>The accepted type of the staged file at <paramref name="path"/>, or why it is refused.</summary>
    public static async Task<ContentTypeDecision> ResolveAsync(string path, string? fileName, CancellationToken cancellationToken)
    {
        var (head, length) = await ContentSniffer.ReadHeadAsync(path, HeadLength, cancellationToken);
        return Resolve(head, length, fileName);
    }

    /// <summary>The decision for a file of <paramref name="totalLength"/> bytes starting with <paramref name="head"/>.</summary>
    public static ContentTypeDecision Resolve(ReadOnlySpan<byte> head, long totalLength, string? fileName)
    {
        if (ContentSniffer.Detect(head[..Math.Min(head.Length, ContentSniffer.HeadLength)], totalLength) is { } sniffed)
        {
            return new ContentTypeDecision(sniffed, sniffed);
        }

        var byContent = OtherFormats.Describe(head);
        if (!string.Equals(byContent, OctetStream, StringComparison.Ordinal))
        {
            return new ContentTypeDecision(null, byContent);
        }

        var byName = ByFileName(fileName);
        return new ContentTypeDecision(byName, byName);
    }

    /// <summary>
    /// The type the original guesses from a file name (Python's <c>mimetypes</c>, then its own extension list),
    /// limited to the types it accepts; null for any other name.
    /// </summary>
    public static string? ByFileName(string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
        return extension switch
        {
            ".pdf" => ContentSniffer.Pdf,
            ".mp4" or ".m4v" => ContentSniffer.Mp4,
            ".mov" or ".qt" => ContentSniffer.QuickTime,
            ".avi" => ContentSniffer.Avi,
            ".wmv" => ContentSniffer.Wmv,
            _ => null,
        };
    }
}
