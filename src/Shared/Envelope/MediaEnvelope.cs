using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// The metadata of a <c>hub_media_envelope_v1</c> (profile <c>x25519-hkdf-sha256-aes256gcm-v1</c>): exactly
/// twenty fields, binary ones as canonical unpadded base64url. <see cref="Parse"/> is strict: an unknown or
/// missing key, a wrong type or a non-canonical encoding is refused with the field named.
/// </summary>
public sealed partial record MediaEnvelope
{
    public const string ContractVersion = "hub_media_envelope_v1";

    public const string Profile = "x25519-hkdf-sha256-aes256gcm-v1";

    public const string ReceiptContractVersion = "hub_media_envelope_receipt_v1";

    public const string WrapInfo = "lx-hub-media-envelope-wrap-v1";

    /// <summary>Largest compact JSON accepted in the <c>X-Hub-Media-Envelope</c> header (and as a part).</summary>
    public const int MaxJsonBytes = 4096;

    public static readonly IReadOnlyList<string> FieldNames =
    [
        "contract_version", "profile", "transfer_key", "source_node_key", "source_center_key", "target_node_key",
        "resource_kind", "resource_hash", "processed_media_hash", "transfer_mode", "media_role", "plaintext_sha256",
        "plaintext_size", "recipient_key_id", "ephemeral_public_key", "wrap_salt", "wrap_nonce",
        "wrapped_data_encryption_key", "payload_nonce", "payload_tag",
    ];

    private static readonly string[] HexFields = ["resource_hash", "processed_media_hash", "plaintext_sha256", "recipient_key_id"];

    public required string TransferKey { get; init; }

    public required string SourceNodeKey { get; init; }

    public required string SourceCenterKey { get; init; }

    public required string TargetNodeKey { get; init; }

    public required string ResourceKind { get; init; }

    public required string ResourceHash { get; init; }

    public required string ProcessedMediaHash { get; init; }

    public required string TransferMode { get; init; }

    public required string MediaRole { get; init; }

    public required string PlaintextSha256 { get; init; }

    public required long PlaintextSize { get; init; }

    public required string RecipientKeyId { get; init; }

    public required byte[] EphemeralPublicKey { get; init; }

    public required byte[] WrapSalt { get; init; }

    public required byte[] WrapNonce { get; init; }

    public required byte[] WrappedDataEncryptionKey { get; init; }

    public required byte[] PayloadNonce { get; init; }

    public required byte[] PayloadTag { get; init; }

    /// <summary>All twenty fields, as the JSON carries them.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Fields() =>
    [
        new("contract_version", ContractVersion),
        new("profile", Profile),
        new("transfer_key", TransferKey),
        new("source_node_key", SourceNodeKey),
        new("source_center_key", SourceCenterKey),
        new("target_node_key", TargetNodeKey),
        new("resource_kind", ResourceKind),
        new("resource_hash", ResourceHash),
        new("processed_media_hash", ProcessedMediaHash),
        new("transfer_mode", TransferMode),
        new("media_role", MediaRole),
        new("plaintext_sha256", PlaintextSha256),
        new("plaintext_size", PlaintextSize),
        new("recipient_key_id", RecipientKeyId),
        new("ephemeral_public_key", Base64Url.Encode(EphemeralPublicKey)),
        new("wrap_salt", Base64Url.Encode(WrapSalt)),
        new("wrap_nonce", Base64Url.Encode(WrapNonce)),
        new("wrapped_data_encryption_key", Base64Url.Encode(WrappedDataEncryptionKey)),
        new("payload_nonce", Base64Url.Encode(PayloadNonce)),
        new("payload_tag", Base64Url.Encode(PayloadTag)),
    ];

    /// <summary>Compact, key-sorted, ASCII-escaped JSON of all twenty fields (what a sender sends).</summary>
    public string ToJson() => PythonJson.Serialize(Fields());

    /// <summary>AAD: the canonical JSON of every field except the wrapped key and the payload tag, as UTF-8.</summary>
    public byte[] AssociatedData() => AssociatedDataFor(Fields());

    /// <summary>SHA-256 (lower-case hex) of the canonical JSON of all twenty fields.</summary>
    public string FingerprintSha256() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));

    internal static byte[] AssociatedDataFor(IEnumerable<KeyValuePair<string, object>> fields) =>
        Encoding.UTF8.GetBytes(PythonJson.Serialize(fields.Where(f => f.Key is not ("wrapped_data_encryption_key" or "payload_tag"))));

    /// <exception cref="EnvelopeException">The metadata is not a valid envelope (phase <c>envelope_metadata</c>).</exception>
    public static MediaEnvelope Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        var fields = MediaEnvelopeFields.Collect(document.RootElement);
        CheckContract(fields);
        var plaintextSize = fields.PositiveInteger("plaintext_size");
        var envelope = new MediaEnvelope
        {
            TransferKey = fields.Text("transfer_key"),
            SourceNodeKey = fields.Text("source_node_key"),
            SourceCenterKey = fields.Text("source_center_key"),
            TargetNodeKey = fields.Text("target_node_key"),
            ResourceKind = fields.Text("resource_kind"),
            ResourceHash = fields.Text("resource_hash"),
            ProcessedMediaHash = fields.Text("processed_media_hash"),
            TransferMode = fields.Text("transfer_mode"),
            MediaRole = fields.Text("media_role"),
            PlaintextSha256 = fields.Text("plaintext_sha256"),
            PlaintextSize = plaintextSize,
            RecipientKeyId = fields.Text("recipient_key_id"),
            EphemeralPublicKey = fields.Binary("ephemeral_public_key"),
            WrapSalt = fields.Binary("wrap_salt"),
            WrapNonce = fields.Binary("wrap_nonce"),
            WrappedDataEncryptionKey = fields.Binary("wrapped_data_encryption_key"),
            PayloadNonce = fields.Binary("payload_nonce"),
            PayloadTag = fields.Binary("payload_tag"),
        };

        if (!string.Equals(envelope.ProcessedMediaHash, envelope.PlaintextSha256, StringComparison.Ordinal))
        {
            throw MediaEnvelopeFields.Invalid("envelope_invalid_field", "processed_media_hash must equal plaintext_sha256.", "processed_media_hash");
        }

        return envelope;
    }

    private static JsonDocument ParseDocument(string json)
    {
        if (Encoding.UTF8.GetByteCount(json) > MaxJsonBytes)
        {
            throw MediaEnvelopeFields.Invalid("envelope_too_large", $"The envelope metadata is larger than {MaxJsonBytes} bytes.", "envelope");
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException)
        {
            throw MediaEnvelopeFields.Invalid("envelope_invalid_json", "The envelope metadata is not valid JSON.", "envelope");
        }
    }

    /// <summary>This contract and profile, and the four hashes as lower-case hex.</summary>
    private static void CheckContract(MediaEnvelopeFields fields)
    {
        if (fields.Text("contract_version") != ContractVersion)
        {
            throw MediaEnvelopeFields.Invalid("envelope_unsupported_contract", $"contract_version must be '{ContractVersion}'.", "contract_version");
        }

        if (fields.Text("profile") != Profile)
        {
            throw MediaEnvelopeFields.Invalid("envelope_unsupported_profile", $"profile must be '{Profile}'.", "profile");
        }

        foreach (var name in HexFields)
        {
            if (!Sha256Hex().IsMatch(fields.Text(name)))
            {
                throw MediaEnvelopeFields.Invalid("envelope_invalid_field", $"Envelope field '{name}' must be 64 lower-case hexadecimal characters.", name);
            }
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
