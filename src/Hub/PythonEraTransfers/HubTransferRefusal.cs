namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// A refusal of a hub transfer request: the HTTP status, the <c>detail</c> message and, for the senders
/// that read them, the lower-case <c>rejection_code</c>, <c>rejection_phase</c> and <c>error_fields</c>.
/// </summary>
internal sealed class HubTransferRefusal(int statusCode, string detail, string? code = null, string? phase = null, IReadOnlyList<string>? fields = null) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string? Code { get; } = code;

    public string? Phase { get; } = phase;

    public IReadOnlyList<string> Fields { get; } = fields ?? [];
}
