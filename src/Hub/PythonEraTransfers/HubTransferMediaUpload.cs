using System.Text;
using LxAnnotate.Shared.Envelope;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static LxAnnotate.Hub.PythonEraTransfers.HubTransferMedia;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>The media request in either shape: multipart (<c>media_role</c>, optional <c>envelope</c>, then <c>file</c>) or a raw body with headers.</summary>
internal sealed class HubTransferMediaUpload : IAsyncDisposable
{
    private HubTransferMediaUpload(Stream file, string? envelopeJson)
    {
        File = file;
        EnvelopeJson = envelopeJson;
    }

    /// <summary>The media bytes, not yet read: they stream straight into staging.</summary>
    public Stream File { get; }

    public string? EnvelopeJson { get; }

    public static async Task<HubTransferMediaUpload> OpenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return OpenRaw(request);
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 256 } boundary)
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The media must be multipart/form-data or application/octet-stream.", "unsupported_content_type", "media_receive");
        }

        return await OpenMultipartAsync(new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 }, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static HubTransferMediaUpload OpenRaw(HttpRequest request)
    {
        var role = request.Headers[RoleHeader].ToString();
        if (!string.Equals(role, ProcessedRole, StringComparison.Ordinal))
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"{RoleHeader} must be '{ProcessedRole}'.", "invalid_media_role", "media_receive", ["media_role"]);
        }

        var header = request.Headers[EnvelopeHeader];
        if (header.Count != 1 || string.IsNullOrEmpty(header.ToString()))
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"A raw media body needs exactly one {EnvelopeHeader} header.", "envelope_required", "media_receive", ["envelope"]);
        }

        var json = header.ToString();
        if (Encoding.UTF8.GetByteCount(json) > MediaEnvelope.MaxJsonBytes)
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"{EnvelopeHeader} is larger than {MediaEnvelope.MaxJsonBytes} bytes.", "envelope_too_large", "envelope_metadata", ["envelope"]);
        }

        return new HubTransferMediaUpload(request.Body, json);
    }

    /// <summary>Reads the small parts and stops at the file part, whose body the caller streams.</summary>
    private static async Task<HubTransferMediaUpload> OpenMultipartAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        string? mediaRole = null;
        string? envelope = null;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
            {
                throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "Every part needs a form-data Content-Disposition.", "invalid_multipart", "media_receive");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            switch (name)
            {
                case "file":
                    if (!string.Equals(mediaRole, ProcessedRole, StringComparison.Ordinal))
                    {
                        throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"media_role must be '{ProcessedRole}' and come before the file part.", "invalid_media_role", "media_receive", ["media_role"]);
                    }

                    return new HubTransferMediaUpload(section.Body, envelope);
                case "media_role":
                    mediaRole = await ReadTextAsync(section.Body, 64, "media_role", cancellationToken);
                    break;
                case "envelope":
                    envelope = await ReadTextAsync(section.Body, MediaEnvelope.MaxJsonBytes, "envelope", cancellationToken);
                    break;
                default:
                    throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "Unknown form part (expected media_role, envelope, file).", "unknown_form_field", "media_receive");
            }
        }

        throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The file part is missing.", "missing_file", "media_receive", ["file"]);
    }

    private static async Task<string> ReadTextAsync(Stream body, int maxBytes, string field, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > maxBytes)
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"The {field} part is larger than {maxBytes} bytes.", field == "envelope" ? "envelope_too_large" : "invalid_field", "media_receive", [field]);
        }

        return Encoding.UTF8.GetString(buffer, 0, total).Trim();
    }
}
