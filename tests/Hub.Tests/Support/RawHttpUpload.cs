using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// One HTTP/1.1 multipart POST over a plain socket, sent the way curl and python-requests send a large body: the
/// whole body is written (the writer does not stop for an early answer), and only then is the response read. An
/// early answer followed by a close with unread body shows up here as a failed write or a reset read, as it does
/// for those clients. <see cref="ReadWhileSending"/> reads the response while the body is still being written.
/// </summary>
internal static class RawHttpUpload
{
    public const string Boundary = "lxa-raw-upload-boundary";

    private const int ChunkBytes = 64 * 1024;

    /// <summary>The outcome: the status, headers and body read, or the socket error that ended the exchange.</summary>
    internal sealed record Outcome(int? Status, IReadOnlyDictionary<string, string> Headers, string Body, long BytesWritten, Exception? WriteError, Exception? ReadError)
    {
        public override string ToString() =>
            $"status={Status?.ToString(CultureInfo.InvariantCulture) ?? "none"} written={BytesWritten} writeError={WriteError?.GetType().Name}:{WriteError?.Message} readError={ReadError?.GetType().Name}:{ReadError?.Message} body={Body}";
    }

    /// <summary>POSTs a multipart form whose file part has <paramref name="fileBytes"/> bytes, chunked or with a Content-Length.</summary>
    public static async Task<Outcome> SendThenReadAsync(Uri server, string path, long fileBytes, bool chunked, CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(server, cancellationToken);
        var stream = client.GetStream();
        var (written, writeError) = await WriteRequestAsync(stream, server, path, fileBytes, chunked, cancellationToken);
        return await ReadResponseAsync(stream, written, writeError, cancellationToken);
    }

    /// <summary>As <see cref="SendThenReadAsync"/>, but the response is read while the writer keeps sending.</summary>
    public static async Task<Outcome> ReadWhileSending(Uri server, string path, long fileBytes, CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(server, cancellationToken);
        var stream = client.GetStream();
        var writing = Task.Run(() => WriteRequestAsync(stream, server, path, fileBytes, chunked: true, cancellationToken), cancellationToken);
        var response = await ReadResponseAsync(stream, 0, null, cancellationToken);
        var (written, writeError) = await writing;
        return response with { BytesWritten = written, WriteError = writeError };
    }

    private static async Task<TcpClient> ConnectAsync(Uri server, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        return client;
    }

    private static async Task<(long Written, Exception? Error)> WriteRequestAsync(
        NetworkStream stream, Uri server, string path, long fileBytes, bool chunked, CancellationToken cancellationToken)
    {
        var head = Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
        var framing = chunked
            ? "Transfer-Encoding: chunked"
            : string.Create(CultureInfo.InvariantCulture, $"Content-Length: {head.Length + fileBytes + tail.Length}");
        var headers = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\n{framing}\r\n\r\n");
        long written = 0;
        try
        {
            await stream.WriteAsync(headers, cancellationToken);
            await WritePartAsync(stream, head, chunked, cancellationToken);
            var block = new byte[ChunkBytes];
            "%PDF-1.7\n"u8.CopyTo(block);
            for (long sent = 0; sent < fileBytes; sent += ChunkBytes)
            {
                var count = (int)Math.Min(ChunkBytes, fileBytes - sent);
                await WritePartAsync(stream, block.AsMemory(0, count), chunked, cancellationToken);
                written += count;
                block.AsSpan(0, 9).Fill((byte)'x');
            }

            await WritePartAsync(stream, tail, chunked, cancellationToken);
            if (chunked)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
            }

            return (written, null);
        }
        catch (IOException ex)
        {
            return (written, ex);
        }
    }

    private static async Task WritePartAsync(NetworkStream stream, ReadOnlyMemory<byte> bytes, bool chunked, CancellationToken cancellationToken)
    {
        if (chunked)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{bytes.Length:x}\r\n")), cancellationToken);
        }

        await stream.WriteAsync(bytes, cancellationToken);
        if (chunked)
        {
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }
    }

    /// <summary>Reads until the server closes: the response head and a Content-Length or chunked body.</summary>
    private static async Task<Outcome> ReadResponseAsync(NetworkStream stream, long written, Exception? writeError, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        Exception? readError = null;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
                if (IsComplete(received.ToArray()))
                {
                    break;
                }
            }
        }
        catch (IOException ex)
        {
            readError = ex;
        }

        return Parse(Encoding.ASCII.GetString(received.ToArray()), written, writeError, readError);
    }

    private static bool IsComplete(byte[] received)
    {
        var text = Encoding.ASCII.GetString(received);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = ParseHeaders(text[..end]);
        var body = text[(end + 4)..];
        return head.TryGetValue("content-length", out var length)
            ? body.Length >= int.Parse(length, CultureInfo.InvariantCulture)
            : body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }

    private static Outcome Parse(string text, long written, Exception? writeError, Exception? readError)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || !text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return new Outcome(null, new Dictionary<string, string>(), text, written, writeError, readError);
        }

        var headers = ParseHeaders(text[..end]);
        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        var status = int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture);
        return new Outcome(status, headers, body, written, writeError, readError);
    }

    private static Dictionary<string, string> ParseHeaders(string head) =>
        head.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(parts => parts[1].Trim())), StringComparer.Ordinal);

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                break;
            }

            var size = int.Parse(body.AsSpan(position, lineEnd - position), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0 || lineEnd + 2 + size > body.Length)
            {
                break;
            }

            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
