using System.Text.Json;
using System.Text.Json.Serialization;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// <c>sensitive_meta.field_quality</c>: per profile field name its <see cref="FieldQuality"/> in snake_case, e.g.
/// <c>{"patient_last_name":{"confidence":0.96,"agreement":1,"votes":4,"reads":4,"frames":4,"kept":true}}</c>. Numbers
/// and field names only, never a value.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Dictionary<string, FieldQuality>))]
internal sealed partial class FieldQualityJson : JsonSerializerContext
{
    /// <summary>The column text; null for null or empty quality.</summary>
    public static string? Serialize(IReadOnlyDictionary<string, FieldQuality>? quality) =>
        quality is null || quality.Count == 0
            ? null
            : JsonSerializer.Serialize(new Dictionary<string, FieldQuality>(quality, StringComparer.Ordinal), Default.DictionaryStringFieldQuality);

    /// <summary>The column parsed back; null for a null or unreadable column.</summary>
    public static IReadOnlyDictionary<string, FieldQuality>? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json, Default.DictionaryStringFieldQuality);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
