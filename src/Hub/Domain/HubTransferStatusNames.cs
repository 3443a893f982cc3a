namespace LxAnnotate.Hub.Domain;

/// <summary>Wire names of <see cref="HubTransferStatus"/>, spelled out so a rename never changes stored data.</summary>
public static class HubTransferStatusNames
{
    public static string ToWire(this HubTransferStatus status) => status switch
    {
        HubTransferStatus.Pending => "pending",
        HubTransferStatus.AwaitingMedia => "awaiting_media",
        HubTransferStatus.Applied => "applied",
        HubTransferStatus.Failed => "failed",
        HubTransferStatus.Inconsistent => "inconsistent",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static HubTransferStatus Parse(string value) => value switch
    {
        "pending" => HubTransferStatus.Pending,
        "awaiting_media" => HubTransferStatus.AwaitingMedia,
        "applied" => HubTransferStatus.Applied,
        "failed" => HubTransferStatus.Failed,
        "inconsistent" => HubTransferStatus.Inconsistent,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown hub transfer status."),
    };
}
