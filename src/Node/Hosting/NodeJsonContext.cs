using System.Text.Json.Serialization;
using LxAnnotate.Node.Cli;

namespace LxAnnotate.Node.Hosting;

/// <summary>
/// Every type the node writes or reads as JSON, serialized by generated code: the node is published as a Native AOT
/// executable, where reflection-based serialization is not available. Property names are snake_case; dictionary keys
/// are written as they are.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class NodeJsonContext : JsonSerializerContext;
