using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// <c>POST /api/media/hub/transfers/{transfer_key}/media/</c> in all three sender generations: 2.0 plaintext
/// multipart (only with <c>ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA=true</c>), 3.0 multipart with an
/// <c>envelope</c> part, 3.0 raw body with <c>X-Hub-Media-Role</c> / <c>X-Hub-Media-Envelope</c>. The body
/// streams into an owner-only staging file (decrypted on the way for 3.0); only after the tag and the
/// plaintext SHA-256 verified does the ingest core take the file, and the job becomes <c>applied</c>
/// (<see cref="HubTransferMediaAttachment"/>).
/// </summary>
internal static class HubTransferMedia
{
    public const string RoleHeader = "X-Hub-Media-Role";

    public const string EnvelopeHeader = "X-Hub-Media-Envelope";

    public const string ProcessedRole = "processed";

    public const string ProcessingDecision = "skip_processing_preserved_state";

    public const string Entrypoint = "transfer.hub_rest";

    public const string SourceSystem = "lx-annotate-node";

    /// <summary>Multipart framing and the text parts around the file part.</summary>
    private const long MultipartOverheadBytes = 64 * 1024;

    public static async Task<IResult> AttachAsync(
        string transferKey,
        HttpContext context,
        HubTransferOptions settings,
        NodeCertificateOptions nodeCertificates,
        LxaDbContext db,
        IngestService ingest,
        ContentStore store,
        EncryptedArtifactStore encryptedStore,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        if (!settings.Enabled)
        {
            return HubTransferApi.NotFound();
        }

        var logger = loggers.CreateLogger(HubTransferLog.Category);
        var bodyLimit = LimitBody(context, settings.MaxUploadBytes);
        HubTransferCaller caller;
        try
        {
            caller = await HubTransferAuthenticator.AuthenticateAsync(context, nodeCertificates, db);
        }
        catch (HubTransferRefusal refusal)
        {
            return HubTransferApi.Refuse(logger, null, refusal);
        }

        var job = await HubTransferApi.FindOwnAsync(db, transferKey, caller, context.RequestAborted);
        if (job is null)
        {
            return HubTransferApi.NotFound();
        }

        var attachment = new HubTransferMediaAttachment(db, ingest, store, encryptedStore, settings, time, logger);
        return OversizedRequestBody.DrainIfTooLarge(await attachment.AttachAsync(job, caller, context.Request, bodyLimit, context.RequestAborted));
    }

    /// <summary>Raises the server's request body limit to the media limit plus the multipart framing; returns that limit.</summary>
    private static long LimitBody(HttpContext context, long maxUploadBytes)
    {
        var bodyLimit = maxUploadBytes > long.MaxValue - MultipartOverheadBytes
            ? long.MaxValue
            : maxUploadBytes + MultipartOverheadBytes;
        return OversizedRequestBody.Limit(context, bodyLimit);
    }
}
