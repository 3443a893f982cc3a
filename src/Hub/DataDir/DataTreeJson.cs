using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.DataDir;

/// <summary>JSON of <c>lxa-hub check</c> and <c>init-data-dir</c>: snake_case, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CheckReport))]
[JsonSerializable(typeof(InitReport))]
internal sealed partial class DataTreeJson : JsonSerializerContext;
