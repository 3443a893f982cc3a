using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Envelopes;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Envelope;
using LxAnnotate.Shared.Sniffing;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The media body into an owner-only staging file in the form of its storage class, verified as the transfer's
/// processed media: an envelope through the hub's one <see cref="EnvelopeOpener"/>, plaintext (generation 2.0)
/// hashed on the way. Never more than one buffer in memory.
/// </summary>
internal static class HubTransferMediaStaging
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The staged media, the SHA-256 of the bytes received (the ciphertext for an envelope), and the media's type.</summary>
    /// <param name="encryptionFor">The key ring a media type is kept encrypted under, or null when it is kept as it is.</param>
    public static async Task<(StagedContent Staged, string ReceivedSha256, string ContentType)> StageAsync(
        Stream body,
        MediaEnvelope? envelope,
        HubTransferJob job,
        string staging,
        HubTransferOptions settings,
        Func<string, MasterKeyRing?> encryptionFor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(settings);
        var expected = new ExpectedMedia(job.ProcessedMediaHash);
        var fallbackType = job.ResourceKind == "report" ? ContentSniffer.Pdf : "application/octet-stream";
        await using var sink = new HubTransferMediaSink(staging, fallbackType, encryptionFor, OwnerOnly, settings.MaxUploadBytes);
        try
        {
            if (envelope is not null)
            {
                var opened = await OpenAsync(body, envelope, sink, expected, settings, cancellationToken);
                return (opened.Plaintext, opened.CiphertextSha256, sink.ContentType!);
            }

            await body.CopyToAsync(sink, ContentStore.BufferSize, cancellationToken);
            var staged = await sink.CompleteAsync(cancellationToken);
            Check(staged, expected);
            return (staged, staged.Sha256, sink.ContentType!);
        }
        catch (ContentTooLargeException)
        {
            throw HubTransferRefusals.MediaTooLarge(settings.MaxUploadBytes);
        }
    }

    private static async Task<OpenedEnvelope> OpenAsync(
        Stream body, MediaEnvelope envelope, HubTransferMediaSink sink, ExpectedMedia expected, HubTransferOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            return await EnvelopeOpener.OpenIntoAsync(envelope, settings.RecipientKeys, body, sink, expected, cancellationToken);
        }
        catch (EnvelopeRefusedException ex)
        {
            throw ex.Envelope is { } refused ? HubTransferRefusals.Envelope(refused) : HubTransferRefusals.ProcessedMediaMismatch();
        }
    }

    /// <summary>A plaintext body must be the transfer's processed media and not empty; otherwise it is removed and refused.</summary>
    private static void Check(StagedContent staged, ExpectedMedia expected)
    {
        if (staged.SizeBytes == 0)
        {
            ContentStore.DeleteQuietly(staged.Path);
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The media file is empty.", "media_empty", "media_receive", ["file"]);
        }

        if (!expected.Matches(staged))
        {
            ContentStore.DeleteQuietly(staged.Path);
            throw HubTransferRefusals.ProcessedMediaMismatch();
        }
    }
}
