using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Sniffing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// Streams a <c>multipart/form-data</c> upload: the <c>file</c> part goes straight into staging (never
/// buffered in memory or in an ASP.NET temp file, as <c>ReadFormAsync</c>/<c>IFormFile</c> would), the few
/// text fields are collected whether they come before or after the file. A file whose first bytes show a
/// type the hub keeps encrypted (a PDF report) is encrypted as it arrives when a master key is configured,
/// so its plaintext never reaches the disk; anything else is staged as it is and sniffed afterwards. Field
/// names are a closed set, as in the original API: a typo is an error, not ignored.
/// </summary>
internal static class UploadFormReader
{
    public const string FileField = "file";

    public const string CenterKeyField = "center_key";

    /// <summary>Accepted for compatibility with existing uploaders; centers are resolved by key only.</summary>
    public const string CenterNameField = "center_name";

    public const string SourceSystemField = "source_system";

    public const string IdempotencyKeyField = "idempotency_key";

    /// <summary>Longest text field accepted, in characters.</summary>
    public const int MaxFieldChars = 1024;

    /// <summary>
    /// Room for boundaries, part headers and the text fields beyond the file itself: four fields of at most
    /// <see cref="MaxFieldChars"/> plus headers need far less, so a legitimate upload never hits it.
    /// </summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    private const int ReaderBufferBytes = 64 * 1024;

    private static readonly FrozenSet<string> TextFields =
        new[] { CenterKeyField, CenterNameField, SourceSystemField, IdempotencyKeyField }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Reads the whole form; on any failure nothing staged is left behind.</summary>
    /// <exception cref="UploadFormException">The body is not an acceptable upload form.</exception>
    public static async Task<UploadForm> ReadAsync(
        HttpRequest request, ContentStore store, EncryptedArtifactStore encryptedStore, long maxFileBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(encryptedStore);

        var reader = new MultipartReader(Boundary(request.ContentType), request.Body, ReaderBufferBytes)
        {
            HeadersCountLimit = 8,
            HeadersLengthLimit = 8 * 1024,
        };

        StagedContent? staged = null;
        string? sniffedType = null;
        string? fileName = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await NextSectionAsync(reader, maxFileBytes, cancellationToken) is { } section)
            {
                var (disposition, name) = PartName(section);
                if (string.Equals(name, FileField, StringComparison.Ordinal))
                {
                    if (staged is not null)
                    {
                        throw BadRequest("two_files", "Send exactly one 'file' part per upload.");
                    }

                    // Django files a part without a file name as a text field, so the original saw no file at all.
                    fileName = FileName(disposition) ?? throw BadRequest("missing_file", NoFileMessage);
                    (staged, sniffedType) = await StageAsync(store, encryptedStore, section.Body, maxFileBytes, cancellationToken);
                }
                else
                {
                    await AddFieldAsync(fields, name, section.Body, maxFileBytes, cancellationToken);
                }
            }

            if (staged is null)
            {
                throw BadRequest("missing_file", NoFileMessage);
            }

            return new UploadForm(staged, sniffedType, fileName, fields);
        }
        catch
        {
            if (staged is not null)
            {
                ContentStore.DeleteQuietly(staged.Path);
            }

            throw;
        }
    }

    /// <summary>The original's text for a form without a file.</summary>
    public const string NoFileMessage = "No file provided. Please include a file in the \"file\" field.";

    /// <summary>Reason token of a body over the limit.</summary>
    public const string TooLargeReason = "too_large";

    /// <summary>Starts as the original's "File too large." does; the limit is ours, in bytes.</summary>
    public static string TooLargeMessage(long maxFileBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"File too large: the upload exceeds the limit of {maxFileBytes} bytes (LXA_HUB_UPLOAD_MAX_BYTES).");

    /// <summary>An <see cref="UploadFormException"/> for a failure while reading the client's body; null for anything else.</summary>
    internal static UploadFormException? Translate(Exception exception, long maxFileBytes) => exception switch
    {
        UploadFormException => null,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new UploadFormException(StatusCodes.Status400BadRequest, TooLargeReason, TooLargeMessage(maxFileBytes)),
        InvalidDataException => BadRequest("malformed_multipart", "The multipart body is malformed."),
        IOException => BadRequest("truncated_body", "The request body ended before the multipart body was complete."),
        _ => null,
    };

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw BadRequest("not_multipart", "The request must be multipart/form-data.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            throw BadRequest("bad_boundary", "The multipart/form-data content type needs a boundary of 1-70 characters.");
        }

        return boundary;
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, long maxFileBytes, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, maxFileBytes) is { } translated)
        {
            throw translated;
        }
    }

    private static (ContentDispositionHeaderValue Disposition, string Name) PartName(MultipartSection section)
    {
        var disposition = section.GetContentDispositionHeader();
        var name = disposition?.Name.HasValue == true ? HeaderUtilities.RemoveQuotes(disposition.Name).Value : null;
        if (disposition is null || !disposition.IsFormDisposition() && !disposition.IsFileDisposition() || string.IsNullOrEmpty(name))
        {
            throw BadRequest("bad_part", "Every part needs 'Content-Disposition: form-data' with a name.");
        }

        return (disposition, name);
    }

    /// <summary>Adds one text field; an unknown or repeated name is refused.</summary>
    private static async Task AddFieldAsync(
        Dictionary<string, string> fields, string name, Stream body, long maxFileBytes, CancellationToken cancellationToken)
    {
        if (!TextFields.Contains(name))
        {
            throw BadRequest("unknown_field", $"unknown field '{Shorten(name)}'");
        }

        if (fields.ContainsKey(name))
        {
            throw BadRequest("duplicate_field", $"field '{name}' is given more than once");
        }

        fields[name] = await ReadFieldAsync(body, name, maxFileBytes, cancellationToken);
    }

    /// <summary>Stages the file part; the content type comes back only when the file was staged encrypted.</summary>
    private static async Task<(StagedContent Staged, string? ContentType)> StageAsync(
        ContentStore store, EncryptedArtifactStore encryptedStore, Stream body, long maxFileBytes, CancellationToken cancellationToken)
    {
        try
        {
            var content = new ClientBodyStream(body, maxFileBytes);
            if (encryptedStore.IsConfigured)
            {
                // The file's length is not known yet: a type whose signature depends on it (an ISO box) is a video,
                // never a sensitive type, and is sniffed again from the staged file with its length.
                var head = await content.PeekAsync(ContentSniffer.HeadLength, cancellationToken);
                var type = ContentSniffer.Detect(head.Span, long.MaxValue);
                if (type is not null && StorageClasses.Decide(StorageClasses.Managed, type, keyConfigured: true) == StorageClasses.Encrypted)
                {
                    return (await encryptedStore.StageAsync(content, maxFileBytes, cancellationToken), type);
                }
            }

            // Not fsynced here: the ingest core fsyncs it before the commit, or (a sensitive type sent to a hub
            // that encrypts) encrypts it into a new fsynced file and deletes this plaintext.
            return (await store.StageAsync(content, maxFileBytes, durable: false, cancellationToken), null);
        }
        catch (ContentTooLargeException)
        {
            throw new UploadFormException(StatusCodes.Status400BadRequest, TooLargeReason, TooLargeMessage(maxFileBytes));
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, long maxFileBytes, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(new ClientBodyStream(body, maxFileBytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled > MaxFieldChars
            ? throw BadRequest("field_too_long", string.Create(CultureInfo.InvariantCulture, $"field '{name}' is longer than {MaxFieldChars} characters"))
            : new string(buffer, 0, filled);
    }

    private static string? FileName(ContentDispositionHeaderValue disposition)
    {
        var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
        return string.IsNullOrWhiteSpace(name) ? null : name;
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";

    private static UploadFormException BadRequest(string reason, string message) =>
        new(StatusCodes.Status400BadRequest, reason, message);
}
