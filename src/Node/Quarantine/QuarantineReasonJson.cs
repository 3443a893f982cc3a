using System.Text.Json.Serialization;

namespace LxAnnotate.Node.Quarantine;

/// <summary>How a <c>&lt;name&gt;.reason.json</c> file is written: snake_case, indented for the operator who opens it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(QuarantineReason))]
internal sealed partial class QuarantineReasonJson : JsonSerializerContext;
