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
    private const UnixFileMode StagingFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public async Task<UploadOutcome> CompleteAsync(TransferSession session, CallerIdentity caller, ReceivedPartial received, CancellationToken cancellationToken)
    {
        if (session.Sha256 is null && received.SenderSha256 is null)
        {
            // Every byte is kept (the offset is recorded): a call from this offset that brings the trailer completes it.
            throw new TransferException(
                TransferErrorKind.InvalidArgument,
                $"Transfer {session.Id} was offered without sha256: the Upload call must end with a trailer carrying it; the bytes are kept, send the trailer from offset {session.SizeBytes}.");
        }

        if (session.Sha256 is { } offered && received.SenderSha256 is { } trailer && !string.Equals(offered, trailer, StringComparison.Ordinal))
        {
            await sessions.FailAsync(session, "The trailer's SHA-256 differs from the offered one.");
            throw new TransferException(TransferErrorKind.InvalidArgument, "The Upload trailer's sha256 differs from the offered one; the partial data was discarded.");
        }

        var envelopeJson = partials.ReadEnvelopeJson(session.Id);
        var result = envelopeJson is null
            ? await IngestPlaintextAsync(session, caller, received, cancellationToken)
            : await IngestEnvelopedAsync(session, caller, MediaEnvelope.Parse(envelopeJson), received, cancellationToken);
        return await sessions.CompleteAsync(session, result);
    }

    /// <summary>The received bytes are the artifact: as they are, or already sealed into LXENC01 for the encrypted class.</summary>
    private async Task<IngestResult> IngestPlaintextAsync(TransferSession session, CallerIdentity caller, ReceivedPartial received, CancellationToken cancellationToken)
    {
        if (options.RequireEnvelope)
        {
            await sessions.FailAsync(session, "An envelope is required.");
            throw new TransferException(TransferErrorKind.PreconditionFailed, "envelope_required: this hub accepts only enveloped artifacts; offer the artifact again with an envelope.");
        }

        // Offered with its SHA-256, or (offered without) declared by the sender's trailer.
        var declared = session.Sha256 ?? received.SenderSha256;
        if (!string.Equals(received.Sha256, declared, StringComparison.Ordinal))
        {
            await sessions.FailAsync(session, "SHA-256 mismatch.");
            throw new TransferException(TransferErrorKind.DataLoss, "The SHA-256 of the received bytes differs from the declared one; the partial data was discarded.");
        }

        var offer = TransferIngestRequests.RestoreOffer(session) with { Sha256 = received.Sha256 };
        var request = TransferIngestRequests.For(offer, caller, session.Id);
        var staged = new StagedContent(received.Path, received.Sha256, session.SizeBytes, Durable: true, Encrypted: received.Encrypted, KeptOnOutage: true);
        return await ingest.IngestStagedAsync(request, staged, cancellationToken);
    }

    /// <summary>
    /// The received bytes are an envelope's ciphertext: decrypted and verified (tag, size, plaintext SHA-256) into a
    /// staging file in the form of the artifact's storage class before anything is committed; a refusal discards
    /// both files and commits nothing.
    /// </summary>
    private async Task<IngestResult> IngestEnvelopedAsync(
        TransferSession session, CallerIdentity caller, MediaEnvelope envelope, ReceivedPartial received, CancellationToken cancellationToken)
    {
        var stagingPath = partials.StagingPath(session.Id);
        ContentStore.DeleteQuietly(stagingPath);
        OpenedEnvelope opened;
        try
        {
            await using var ciphertext = new FileStream(received.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var target = await StagingFile.CreateAsync(
                stagingPath, partials.EncryptionFor(session.ContentType), StagingFileMode, long.MaxValue, cancellationToken);
            opened = await EnvelopeOpener.OpenIntoAsync(
                envelope, options.RecipientKeys, ciphertext, target, new ExpectedMedia(session.Sha256!, session.SizeBytes), cancellationToken);
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
            ContentStore.DeleteQuietly(stagingPath);
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
