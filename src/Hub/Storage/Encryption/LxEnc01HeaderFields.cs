using System.Text.Json;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// The raw fields of an LXENC01 header as the strict JSON reader found them: one flat object, each known
/// key at most once, strings and integers where expected. Whether the values are acceptable (version,
/// algorithm, sizes, base64) is <see cref="LxEnc01Header.Parse"/>'s concern.
/// </summary>
internal sealed class LxEnc01HeaderFields
{
    public string? Algorithm { get; private set; }

    public string? NoncePrefix { get; private set; }

    public string? WrapNonce { get; private set; }

    public string? WrappedDek { get; private set; }

    public long? Version { get; private set; }

    public long? ChunkSize { get; private set; }

    /// <summary>How many distinct known keys were present.</summary>
    public int Count { get; private set; }

    /// <exception cref="EncryptedStorageException">Not a JSON object of known, non-repeated fields.</exception>
    public static LxEnc01HeaderFields Read(ReadOnlySpan<byte> bytes)
    {
        var fields = new LxEnc01HeaderFields();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 2 });
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                Expect(reader.TokenType == JsonTokenType.PropertyName);
                var name = reader.GetString()!;
                Expect(seen.Add(name) && reader.Read());
                fields.Assign(name, ref reader);
            }

            Expect(reader.TokenType == JsonTokenType.EndObject && !reader.Read());
        }
        catch (JsonException ex)
        {
            throw new EncryptedStorageException("The LXENC01 header is not valid JSON.", ex);
        }

        fields.Count = seen.Count;
        return fields;
    }

    private void Assign(string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "algorithm":
                Algorithm = StringValue(ref reader);
                break;
            case "nonce_prefix":
                NoncePrefix = StringValue(ref reader);
                break;
            case "wrap_nonce":
                WrapNonce = StringValue(ref reader);
                break;
            case "wrapped_dek":
                WrappedDek = StringValue(ref reader);
                break;
            case "version":
                Version = IntegerValue(ref reader);
                break;
            case "chunk_size":
                ChunkSize = IntegerValue(ref reader);
                break;
            default:
                throw new EncryptedStorageException("The LXENC01 header has an unknown field.");
        }
    }

    private static string StringValue(ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType == JsonTokenType.String);
        return reader.GetString()!;
    }

    private static long IntegerValue(ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value));
        return reader.GetInt64();
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new EncryptedStorageException("The LXENC01 header is not a JSON object of the expected fields.");
        }
    }
}
