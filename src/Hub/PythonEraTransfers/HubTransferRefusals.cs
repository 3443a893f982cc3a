using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>The refusals of the media endpoint that more than one step gives, worded once.</summary>
internal static class HubTransferRefusals
{
    public static HubTransferRefusal MediaTooLarge(long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        $"The media is larger than the hub's limit of {maxBytes} bytes.",
        "media_too_large",
        "media_receive",
        ["file"]);

    public static HubTransferRefusal ProcessedMediaMismatch() => new(
        StatusCodes.Status400BadRequest,
        "The SHA-256 of the received media differs from the processed media hash of the transfer.",
        "processed_media_hash_mismatch",
        "payload_verify",
        ["file"]);

    /// <summary>An envelope that does not parse or open: its own code, phase and field go to the sender.</summary>
    public static HubTransferRefusal Envelope(EnvelopeException ex) => new(
        StatusCodes.Status400BadRequest,
        ex.Message,
        ex.Code,
        ex.Phase,
        ex.Field is null ? [] : [ex.Field]);
}
