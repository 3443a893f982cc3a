using System.Text.Json.Serialization;
using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>The JSON inside a sensitive metadata LXENC01 file (snake_case <see cref="SensitiveValues"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SensitiveValues))]
internal sealed partial class SensitiveValuesJson : JsonSerializerContext;
