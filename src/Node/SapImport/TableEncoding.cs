using System.Text;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Decides a table file's encoding in the order the exports need: UTF-8 with BOM, UTF-8, Windows-1252,
/// Latin-1. One streaming pass over the bytes; nothing is held but a buffer.
/// </summary>
internal static class TableEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TableEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Windows-1252 from the code-pages provider (not built into .NET).</summary>
    public static Encoding Windows1252 { get; } = CreateWindows1252();

    /// <summary>Returns the encoding and how many leading bytes (a BOM) to skip.</summary>
    public static (Encoding Encoding, int Preamble, string Name) Detect(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[64 * 1024];
        var chars = new char[StrictUtf8.GetMaxCharCount(buffer.Length)];
        var decoder = StrictUtf8.GetDecoder();
        var utf8 = true;
        var cp1252 = true;
        var first = true;
        var bom = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            if (first)
            {
                first = false;
                bom = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
            }

            if (utf8)
            {
                try
                {
                    decoder.GetChars(span, chars, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    utf8 = false;
                }
            }

            if (cp1252 && span.IndexOfAny((ReadOnlySpan<byte>)[0x81, 0x8D, 0x8F, 0x90, 0x9D]) >= 0)
            {
                // The five bytes Windows-1252 leaves undefined: such a file can only be Latin-1.
                cp1252 = false;
            }
        }

        if (utf8)
        {
            try
            {
                decoder.GetChars([], chars, flush: true);
            }
            catch (DecoderFallbackException)
            {
                utf8 = false;
            }
        }

        if (utf8)
        {
            return (StrictUtf8, bom ? 3 : 0, bom ? "utf-8-sig" : "utf-8");
        }

        return cp1252 ? (Windows1252, 0, "windows-1252") : (Encoding.Latin1, 0, "latin-1");
    }

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }
}
