using System.Text.Json;
using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.OperatorConsole;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProgressEvent))]
internal sealed partial class ConsoleProgressJson : JsonSerializerContext;
