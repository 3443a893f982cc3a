using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>JSON of the <c>jobs</c> and <c>processors</c> commands, snake_case like every other hub output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(IReadOnlyList<JobView>))]
[JsonSerializable(typeof(JobRetry))]
[JsonSerializable(typeof(ProcessorView))]
[JsonSerializable(typeof(IReadOnlyList<ProcessorView>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class ProcessingJson : JsonSerializerContext;
