namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>A node that passed every transport and identity check of the hub transfer endpoints.</summary>
internal sealed record HubTransferCaller(string NodeKey, string CenterKey, string CertificateThumbprint);
