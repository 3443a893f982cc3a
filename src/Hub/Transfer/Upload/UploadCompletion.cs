using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Envelopes;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Transfer.Offers;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// A transfer whose declared bytes have all arrived: verified (plaintext) or opened (an envelope), handed to the
/// ingest core, and the session completed with its job. A refusal fails the session and commits nothing.
/// </summary>
internal sealed class UploadCompletion(
    TransferSessions sessions,
    PartialFileStore partials,
    IngestService ingest,
    TransferOptions options)
{
    public async Task<UploadOutcome> CompleteAsync(TransferSession session, CallerIdentity caller, string actualSha256, CancellationToken cancellationToken)
    {
        var envelopeJson = partials.ReadEnvelopeJson(session.Id);
        var result = envelopeJson is null
            ? await IngestPlaintextAsync(session, caller, actualSha256, cancellationToken)
            : await IngestEnvelopedAsync(session, caller, MediaEnvelope.Parse(envelopeJson), cancellationToken);
        return await sessions.CompleteAsync(session, result);
    }

    private async Task<IngestResult> IngestPlaintextAsync(TransferSession session, CallerIdentity caller, string actualSha256, CancellationToken cancellationToken)
    {
        if (options.RequireEnvelope)
        {
            await sessions.FailAsync(session, "An envelope is required.");
            throw new TransferException(TransferErrorKind.PreconditionFailed, "envelope_required: this hub accepts only enveloped artifacts; offer the artifact again with an envelope.");
        }

        if (!string.Equals(actualSha256, session.Sha256, StringComparison.Ordinal))
        {
            await sessions.FailAsync(session, "SHA-256 mismatch.");
            throw new TransferException(TransferErrorKind.DataLoss, "The SHA-256 of the received bytes differs from the offered one; the partial data was discarded.");
        }

        var request = TransferIngestRequests.For(TransferIngestRequests.RestoreOffer(session), caller, session.Id);
        return await ingest.IngestStagedAsync(request, new StagedContent(partials.PartialPath(session.Id), actualSha256, session.SizeBytes), cancellationToken);
    }

    /// <summary>
    /// The received bytes are ciphertext: decrypted and verified (tag, size, plaintext SHA-256) into a staging
    /// file before anything is committed; a refusal discards both files and commits nothing.
    /// </summary>
    private async Task<IngestResult> IngestEnvelopedAsync(TransferSession session, CallerIdentity caller, MediaEnvelope envelope, CancellationToken cancellationToken)
    {
        var plainPath = partials.PlaintextPath(session.Id);
        ContentStore.DeleteQuietly(plainPath);
        OpenedEnvelope opened;
        try
        {
            await using var ciphertext = new FileStream(partials.PartialPath(session.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            opened = await EnvelopeOpener.OpenToFileAsync(
                envelope, options.RecipientKeys, ciphertext, plainPath, new ExpectedMedia(session.Sha256, session.SizeBytes), cancellationToken);
        }
        catch (EnvelopeRefusedException ex)
        {
            throw await RefuseAsync(session, ex);
        }

        var request = TransferIngestRequests.For(TransferIngestRequests.RestoreOffer(session), caller, session.Id, envelope);
        IngestResult result;
        try
        {
            result = await ingest.IngestStagedAsync(request, opened.Plaintext, cancellationToken);
        }
        finally
        {
            ContentStore.DeleteQuietly(plainPath);
        }

        partials.Discard(session.Id);
        return result;
    }

    private async Task<TransferException> RefuseAsync(TransferSession session, EnvelopeRefusedException refused)
    {
        if (refused.Envelope is { } envelope)
        {
            await sessions.FailAsync(session, $"Envelope refused: {envelope.Code} in {envelope.Phase}.");
            return TransferEnvelopeRefusal.From(envelope);
        }

        await sessions.FailAsync(session, "The decrypted media differs from the offer.");
        return new TransferException(TransferErrorKind.InvalidArgument, "Envelope refused (plaintext_hash_mismatch, phase payload_verify): the decrypted media differs from the offered SHA-256 and size.");
    }
}
