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

    private static readonly Dictionary<string, int> BinaryLengths = new(StringComparer.Ordinal)
    {
        ["ephemeral_public_key"] = 32,
        ["wrap_salt"] = 16,
        ["wrap_nonce"] = 12,
        ["wrapped_data_encryption_key"] = 48,
        ["payload_nonce"] = 12,
        ["payload_tag"] = 16,
    };

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
        if (Encoding.UTF8.GetByteCount(json) > MaxJsonBytes)
        {
            throw Invalid("envelope_too_large", $"The envelope metadata is larger than {MaxJsonBytes} bytes.", "envelope");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException)
        {
            throw Invalid("envelope_invalid_json", "The envelope metadata is not valid JSON.", "envelope");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("envelope_invalid_json", "The envelope metadata must be a JSON object.", "envelope");
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!FieldNames.Contains(property.Name))
                {
                    throw Invalid("envelope_unknown_field", $"Unknown envelope field '{Printable(property.Name)}'.", "envelope");
                }

                if (!values.TryAdd(property.Name, property.Value))
                {
                    throw Invalid("envelope_duplicate_field", $"Envelope field '{property.Name}' appears twice.", property.Name);
                }
            }

            foreach (var name in FieldNames)
            {
                if (!values.ContainsKey(name))
                {
                    throw Invalid("envelope_missing_field", $"Envelope field '{name}' is missing.", name);
                }
            }

            string Text(string name)
            {
                var value = values[name];
                return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 512 } text && !text.Any(char.IsControl)
                    ? text
                    : throw Invalid("envelope_invalid_field", $"Envelope field '{name}' must be a non-empty string.", name);
            }

            if (Text("contract_version") != ContractVersion)
            {
                throw Invalid("envelope_unsupported_contract", $"contract_version must be '{ContractVersion}'.", "contract_version");
            }

            if (Text("profile") != Profile)
            {
                throw Invalid("envelope_unsupported_profile", $"profile must be '{Profile}'.", "profile");
            }

            foreach (var name in HexFields)
            {
                if (!Sha256Hex().IsMatch(Text(name)))
                {
                    throw Invalid("envelope_invalid_field", $"Envelope field '{name}' must be 64 lower-case hexadecimal characters.", name);
                }
            }

            var size = values["plaintext_size"];
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var plaintextSize) || plaintextSize <= 0 || size.GetRawText().Contains('.', StringComparison.Ordinal)
                || size.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("envelope_invalid_field", "plaintext_size must be an integer greater than 0.", "plaintext_size");
            }

            byte[] Binary(string name)
            {
                var text = Text(name);
                var bytes = Base64Url.TryDecodeCanonical(text);
                if (bytes is null || bytes.Length != BinaryLengths[name])
                {
                    throw Invalid("envelope_invalid_field", $"Envelope field '{name}' must be {BinaryLengths[name]} bytes as canonical unpadded base64url.", name);
                }

                return bytes;
            }

            var envelope = new MediaEnvelope
            {
                TransferKey = Text("transfer_key"),
                SourceNodeKey = Text("source_node_key"),
                SourceCenterKey = Text("source_center_key"),
                TargetNodeKey = Text("target_node_key"),
                ResourceKind = Text("resource_kind"),
                ResourceHash = Text("resource_hash"),
                ProcessedMediaHash = Text("processed_media_hash"),
                TransferMode = Text("transfer_mode"),
                MediaRole = Text("media_role"),
                PlaintextSha256 = Text("plaintext_sha256"),
                PlaintextSize = plaintextSize,
                RecipientKeyId = Text("recipient_key_id"),
                EphemeralPublicKey = Binary("ephemeral_public_key"),
                WrapSalt = Binary("wrap_salt"),
                WrapNonce = Binary("wrap_nonce"),
                WrappedDataEncryptionKey = Binary("wrapped_data_encryption_key"),
                PayloadNonce = Binary("payload_nonce"),
                PayloadTag = Binary("payload_tag"),
            };

            if (!string.Equals(envelope.ProcessedMediaHash, envelope.PlaintextSha256, StringComparison.Ordinal))
            {
                throw Invalid("envelope_invalid_field", "processed_media_hash must equal plaintext_sha256.", "processed_media_hash");
            }

            return envelope;
        }
    }

    private static EnvelopeException Invalid(string code, string message, string field) => new(code, "envelope_metadata", message, field);

    private static string Printable(string name) => name.Length > 64 || name.Any(c => c is < ' ' or > '~') ? "(unprintable)" : name;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
