using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>Sample artifacts and the multipart forms existing uploaders send.</summary>
internal static class UploadContent
{
    /// <summary>A small PDF-looking file with random bytes after the header, so every call is new content.</summary>
    public static byte[] Pdf(int size = 4096)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>A small MP4-looking file (an <c>ftyp</c> box, then random bytes): stored as plaintext media.</summary>
    public static byte[] Mp4(int size = 4096)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        new byte[] { 0, 0, 0, 0x20 }.CopyTo(bytes, 0);
        "ftypisom"u8.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A form with the file first and then the given fields (or the fields first).</summary>
    public static MultipartFormDataContent Form(byte[]? file, string fileName = "report.pdf", IEnumerable<KeyValuePair<string, string>>? fields = null, bool fieldsFirst = false)
    {
        var form = new MultipartFormDataContent();
        if (fieldsFirst)
        {
            AddFields(form, fields);
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", fileName);
        }

        if (!fieldsFirst)
        {
            AddFields(form, fields);
        }

        return form;
    }

    public static IEnumerable<KeyValuePair<string, string>> Fields(params (string Name, string Value)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value));

    private static void AddFields(MultipartFormDataContent form, IEnumerable<KeyValuePair<string, string>>? fields)
    {
        foreach (var (name, value) in fields ?? [])
        {
            form.Add(new StringContent(value), name);
        }
    }
}
