namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The data of one <c>progress</c> server-sent event: the operator's open transfers, newest first.</summary>
internal sealed record ProgressEvent(IReadOnlyList<TransferProgress> Transfers);
