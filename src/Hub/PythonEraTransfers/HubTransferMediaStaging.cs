using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Envelopes;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The media body into an owner-only staging file, verified as the transfer's processed media: an envelope through
/// the hub's one <see cref="EnvelopeOpener"/>, plaintext (generation 2.0) hashed on the way.
/// </summary>
internal static class HubTransferMediaStaging
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The staged plaintext and the SHA-256 of the bytes received (the ciphertext for an envelope).</summary>
    public static async Task<(StagedContent Staged, string ReceivedSha256)> StageAsync(
        Stream body, MediaEnvelope? envelope, HubTransferJob job, string staging, HubTransferOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(settings);
        var expected = new ExpectedMedia(job.ProcessedMediaHash);
        if (envelope is not null)
        {
            try
            {
                var opened = await EnvelopeOpener.OpenToFileAsync(envelope, settings.RecipientKeys, body, staging, expected, cancellationToken);
                return (opened.Plaintext, opened.CiphertextSha256);
            }
            catch (EnvelopeRefusedException ex)
            {
                throw ex.Envelope is { } refused ? HubTransferRefusals.Envelope(refused) : HubTransferRefusals.ProcessedMediaMismatch();
            }
        }

        var staged = await StagePlaintextAsync(body, staging, settings.MaxUploadBytes, cancellationToken);
        return expected.Matches(staged) ? (staged, staged.Sha256) : throw HubTransferRefusals.ProcessedMediaMismatch();
    }

    /// <summary>Never more than one buffer in memory.</summary>
    private static async Task<StagedContent> StagePlaintextAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        StagedContent staged;
        try
        {
            staged = await ContentStore.StageToFileAsync(source, path, maxBytes, OwnerOnly, cancellationToken);
        }
        catch (ContentTooLargeException)
        {
            throw HubTransferRefusals.MediaTooLarge(maxBytes);
        }

        if (staged.SizeBytes == 0)
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The media file is empty.", "media_empty", "media_receive", ["file"]);
        }

        return staged;
    }
}
