using System.Text;
using LxAnnotate.Hub.PythonEraTransfers;
using Microsoft.AspNetCore.Http;
using static LxAnnotate.Hub.Tests.PythonEraTransfers.HubTransferMediaSamples;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

public sealed class HubTransferMediaUploadTests
{
    private const string Boundary = "lxa-boundary";

    [Fact]
    public async Task OpenAsync_RawBodyWithHeaders_FileIsTheBodyAndEnvelopeTheHeader()
    {
        var request = RawRequest([1, 2, 3], role: "processed", envelope: "{\"a\":1}");

        await using var upload = await HubTransferMediaUpload.OpenAsync(request, Timeout());

        Assert.Equal("{\"a\":1}", upload.EnvelopeJson);
        Assert.Same(request.Body, upload.File);
    }

    [Theory]
    [InlineData("raw", "{}", "invalid_media_role", "X-Hub-Media-Role must be 'processed'.")]
    [InlineData("processed", null, "envelope_required", "A raw media body needs exactly one X-Hub-Media-Envelope header.")]
    [InlineData("processed", "", "envelope_required", "A raw media body needs exactly one X-Hub-Media-Envelope header.")]
    public async Task OpenAsync_RawBodyWithoutItsHeaders_Refused(string role, string? envelope, string code, string message)
    {
        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaUpload.OpenAsync(RawRequest([1], role, envelope), Timeout()));

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(message, refusal.Message);
        Assert.Equal("media_receive", refusal.Phase);
    }

    [Fact]
    public async Task OpenAsync_RawEnvelopeHeaderTooLarge_EnvelopeTooLarge()
    {
        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaUpload.OpenAsync(
            RawRequest([1], "processed", new string('x', LxAnnotate.Shared.Envelope.MediaEnvelope.MaxJsonBytes + 1)), Timeout()));

        Assert.Equal("envelope_too_large", refusal.Code);
        Assert.Equal("envelope_metadata", refusal.Phase);
        Assert.Equal(["envelope"], refusal.Fields);
    }

    [Fact]
    public async Task OpenAsync_MultipartInOrder_EnvelopeTrimmedAndFileStreamed()
    {
        var request = MultipartRequest(("media_role", "processed"), ("envelope", " {\"a\":1}\n"), ("file", "FILE-BYTES"));

        await using var upload = await HubTransferMediaUpload.OpenAsync(request, Timeout());

        Assert.Equal("{\"a\":1}", upload.EnvelopeJson);
        using var reader = new StreamReader(upload.File);
        Assert.Equal("FILE-BYTES", await reader.ReadToEndAsync(Timeout()));
    }

    [Fact]
    public async Task OpenAsync_PlaintextMultipart_NoEnvelope()
    {
        await using var upload = await HubTransferMediaUpload.OpenAsync(MultipartRequest(("media_role", "processed"), ("file", "x")), Timeout());

        Assert.Null(upload.EnvelopeJson);
    }

    [Theory]
    [InlineData("file-first", "invalid_media_role", "media_role must be 'processed' and come before the file part.")]
    [InlineData("unknown-part", "unknown_form_field", "Unknown form part (expected media_role, envelope, file).")]
    [InlineData("no-file", "missing_file", "The file part is missing.")]
    [InlineData("long-role", "invalid_field", "The media_role part is larger than 64 bytes.")]
    public async Task OpenAsync_MultipartOutOfShape_Refused(string scenario, string code, string message)
    {
        var request = scenario switch
        {
            "file-first" => MultipartRequest(("file", "x"), ("media_role", "processed")),
            "unknown-part" => MultipartRequest(("media_role", "processed"), ("comment", "hi"), ("file", "x")),
            "no-file" => MultipartRequest(("media_role", "processed")),
            _ => MultipartRequest(("media_role", new string('p', 65)), ("file", "x")),
        };

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaUpload.OpenAsync(request, Timeout()));

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(message, refusal.Message);
        Assert.Equal("media_receive", refusal.Phase);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data")]
    [InlineData(null)]
    public async Task OpenAsync_NeitherMultipartNorOctetStream_UnsupportedContentType(string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream([1]);

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaUpload.OpenAsync(context.Request, Timeout()));

        Assert.Equal("unsupported_content_type", refusal.Code);
        Assert.Equal("The media must be multipart/form-data or application/octet-stream.", refusal.Message);
    }

    private static HttpRequest RawRequest(byte[] body, string role, string? envelope)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/octet-stream";
        context.Request.Headers[HubTransferMedia.RoleHeader] = role;
        if (envelope is not null)
        {
            context.Request.Headers[HubTransferMedia.EnvelopeHeader] = envelope;
        }

        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }

    private static HttpRequest MultipartRequest(params (string Name, string Value)[] parts)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parts)
        {
            text.Append("--").Append(Boundary).Append("\r\n")
                .Append("Content-Disposition: form-data; name=\"").Append(name).Append('"').Append("\r\n\r\n")
                .Append(value).Append("\r\n");
        }

        text.Append("--").Append(Boundary).Append("--\r\n");
        var context = new DefaultHttpContext();
        context.Request.ContentType = $"multipart/form-data; boundary={Boundary}";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        return context.Request;
    }
}
