using System.Net.Http.Headers;
using System.Net;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The REST gateway of the real <c>lxa-hub</c> with a body far over its limit.</summary>
public sealed class RestUploadEndToEndTests
{
    [Fact]
    public async Task Upload_OneAndATenthGiBChunked_400TooLargeWithoutTheHubsMemoryGrowing()
    {
        // Standalone on SQLite, anonymous uploads: the only thing under test is the size limit.
        await using var hub = await HubProcess.StartStandaloneAnonymousAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var before = hub.PeakResidentBytes();

        using var content = new MultipartFormDataContent();
        var file = new StreamContent(new PatternStream(1126L * 1024 * 1024), 1024 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "file", "huge.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{hub.ApiPort}/api/upload/") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The hub may close the connection once it has answered (400, too large), before the client stops sending;
            // its log says what it answered (the console logger writes asynchronously, so wait for it).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!hub.Output.Contains("status=400 reason=too_large", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(hub.Output.Contains("status=400 reason=too_large", StringComparison.Ordinal), hub.Output[^Math.Min(4000, hub.Output.Length)..]);
            status = HttpStatusCode.BadRequest;
        }

        var after = hub.PeakResidentBytes();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(after - before < 100L * 1024 * 1024, $"hub peak RSS grew from {before} to {after} bytes");
        Assert.DoesNotContain(Directory.EnumerateFiles(hub.StorageDir, "*", SearchOption.AllDirectories), f => !Path.GetFileName(f).StartsWith('.'));
    }

    /// <summary>A long readable stream of PDF-looking bytes, generated on the fly (never held in memory).</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = position + i < 5 ? (byte)"%PDF-"[(int)(position + i)] : (byte)'x';
            }

            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
