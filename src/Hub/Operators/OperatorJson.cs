using System.Text.Json.Serialization;
using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using LxAnnotate.Hub.Operators.Secrets;

namespace LxAnnotate.Hub.Operators;

/// <summary>
/// JSON of operator output (<c>--json</c>) and of audit details: snake_case like every other name the
/// hub exposes, source-generated so the shape is fixed at build time.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CenterView))]
[JsonSerializable(typeof(IReadOnlyList<CenterView>))]
[JsonSerializable(typeof(NodeView))]
[JsonSerializable(typeof(IReadOnlyList<NodeView>))]
[JsonSerializable(typeof(CertificateView))]
[JsonSerializable(typeof(IReadOnlyList<CertificateView>))]
[JsonSerializable(typeof(NodeActivation))]
[JsonSerializable(typeof(NodeSecretView))]
[JsonSerializable(typeof(CertificateRevocation))]
[JsonSerializable(typeof(EnrollmentTokenView))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class OperatorJson : JsonSerializerContext;
