using LxAnnotate.Shared.Sniffing;

namespace LxAnnotate.Node.Watcher;

/// <summary>
/// Decides a dropped file's content type from its bytes, as <c>/api/upload/</c> does (<see cref="ContentTypeResolver"/>):
/// a file named <c>.mp4</c> that holds text, a PDF or nothing becomes no job; it goes to quarantine with the reason.
/// Runs only on a file the stability rule found complete, so a file still being written is never judged.
/// </summary>
internal static class DropContentCheck
{
    private static ReadOnlySpan<byte> EbmlMagic => [0x1A, 0x45, 0xDF, 0xA3];

    private static ReadOnlySpan<byte> DocTypeId => [0x42, 0x82];

    /// <summary>The decision for a file of <paramref name="length"/> bytes that starts with <paramref name="head"/>, dropped in a sniffed folder.</summary>
    public static DropContentDecision Decide(WatchedFolder folder, ReadOnlySpan<byte> head, long length, string fileName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (length == 0)
        {
            return DropContentDecision.Refuse("empty_file", $"the file is empty (0 bytes) and stayed so for the whole readiness wait; {folder.Name} takes only {Expected(folder.Content)}");
        }

        // Matroska and WebM are refused by /api/upload/ (as by the original), but the drop folder has always taken
        // them and the worker decodes them: a file with their EBML header stays welcome here.
        if (folder.Content == DropContent.Video && Matroska(head) is { } matroska)
        {
            return new DropContentDecision(matroska);
        }

        var decision = ContentTypeResolver.Resolve(head, length, fileName);
        if (decision.ContentType is { } type && Fits(folder.Content, type))
        {
            return new DropContentDecision(type);
        }

        var described = decision.Described is { } d ? "is " + d : "has no recognisable type";
        return DropContentDecision.Refuse("refused_content",
            $"its content {described}, not {Expected(folder.Content)} (decided from the file's bytes, as /api/upload/ does)");
    }

    private static bool Fits(DropContent content, string type) => content switch
    {
        DropContent.Video => type.StartsWith("video/", StringComparison.Ordinal),
        DropContent.Pdf => string.Equals(type, ContentSniffer.Pdf, StringComparison.Ordinal),
        _ => false,
    };

    private static string Expected(DropContent content) => content == DropContent.Video
        ? "a video (MP4, QuickTime, AVI, WMV, Matroska or WebM)"
        : "a PDF";

    /// <summary>
    /// <c>video/webm</c> or <c>video/x-matroska</c> when <paramref name="head"/> is an EBML header whose DocType says so;
    /// null for anything else (other EBML documents included).
    /// </summary>
    private static string? Matroska(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith(EbmlMagic))
        {
            return null;
        }

        // The DocType element sits in the first few dozen bytes; its size is a one-byte EBML integer (high bit set).
        var window = head[..Math.Min(head.Length, 64)];
        var at = window.IndexOf(DocTypeId);
        if (at < 0 || at + 3 > window.Length || (window[at + 2] & 0x80) == 0)
        {
            return null;
        }

        var size = window[at + 2] & 0x7F;
        if (at + 3 + size > window.Length)
        {
            return null;
        }

        var docType = window.Slice(at + 3, size);
        return docType.SequenceEqual("webm"u8) ? "video/webm" : docType.SequenceEqual("matroska"u8) ? "video/x-matroska" : null;
    }
}
