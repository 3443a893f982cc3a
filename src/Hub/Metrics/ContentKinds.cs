namespace LxAnnotate.Hub.Metrics;

/// <summary>A content type as a label value from a fixed list (a declared type is sender text, so never a label itself).</summary>
internal static class ContentKinds
{
    public static string Of(string? contentType) => contentType switch
    {
        null or "" => "none",
        var t when t.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => "video",
        var t when t.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => "image",
        var t when t.Equals("application/pdf", StringComparison.OrdinalIgnoreCase) => "pdf",
        var t when t.StartsWith("text/", StringComparison.OrdinalIgnoreCase) => "text",
        var t when t.EndsWith("json", StringComparison.OrdinalIgnoreCase) => "json",
        var t when t.EndsWith("xml", StringComparison.OrdinalIgnoreCase) => "xml",
        _ => "other",
    };
}
