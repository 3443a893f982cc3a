namespace LxAnnotate.Node.Outbox;

/// <summary>Media types the node sends, by file extension.</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4",
        [".avi"] = "video/x-msvideo",
        [".mov"] = "video/quicktime",
        [".mkv"] = "video/x-matroska",
        [".webm"] = "video/webm",
        [".m4v"] = "video/x-m4v",
        [".pdf"] = "application/pdf",
        [".txt"] = "text/plain",
    };

    public static string? ForFile(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>The mapping restricted to <paramref name="extensions"/> (what one drop folder accepts).</summary>
    public static IReadOnlyDictionary<string, string> For(params string[] extensions) =>
        extensions.ToDictionary(e => e, e => ByExtension[e], StringComparer.OrdinalIgnoreCase);
}
