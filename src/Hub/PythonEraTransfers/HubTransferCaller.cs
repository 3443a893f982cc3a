namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>A node that passed every transport and identity check of the hub transfer endpoints.</summary>
/// <param name="CertificateThumbprint">Null when the proxy attested a certificate without forwarding it.</param>
internal sealed record HubTransferCaller(string NodeKey, string CenterKey, string? CertificateThumbprint);
