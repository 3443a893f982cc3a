namespace LxAnnotate.Hub.Domain;

/// <summary>State of a <see cref="HubTransferJob"/>; stored under the Python hub's names (<see cref="HubTransferStatusNames"/>).</summary>
public enum HubTransferStatus
{
    Pending,
    AwaitingMedia,
    Applied,
    Failed,
    Inconsistent,
}
