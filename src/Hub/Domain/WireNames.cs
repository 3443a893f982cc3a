using System.Collections.Frozen;

namespace LxAnnotate.Hub.Domain;

/// <summary>
/// The snake_case names operators, the database and the REST contract use for the domain enums.
/// They are spelled out rather than derived so that renaming a C# member can never change stored data.
/// </summary>
public static class WireNames
{
    private static readonly FrozenDictionary<UploadJobStatus, string> StatusNames = new Dictionary<UploadJobStatus, string>
    {
        [UploadJobStatus.Pending] = "pending",
        [UploadJobStatus.Processing] = "processing",
        [UploadJobStatus.Retrying] = "retrying",
        [UploadJobStatus.Anonymized] = "anonymized",
        [UploadJobStatus.Error] = "error",
        [UploadJobStatus.Lost] = "lost",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<UploadJobErrorCode, string> ErrorCodeNames = new Dictionary<UploadJobErrorCode, string>
    {
        [UploadJobErrorCode.DispatchUnavailable] = "dispatch_unavailable",
        [UploadJobErrorCode.DuplicateContent] = "duplicate_content",
        [UploadJobErrorCode.InvalidConfiguration] = "invalid_configuration",
        [UploadJobErrorCode.InvalidInput] = "invalid_input",
        [UploadJobErrorCode.MediaIntegrityFailed] = "media_integrity_failed",
        [UploadJobErrorCode.ProcessingFailed] = "processing_failed",
        [UploadJobErrorCode.SourceMissing] = "source_missing",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<IngestMode, string> IngestModeNames = new Dictionary<IngestMode, string>
    {
        [IngestMode.Api] = "api",
        [IngestMode.Watcher] = "watcher",
        [IngestMode.Transfer] = "transfer",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<NodeCertificateStatus, string> CertificateStatusNames = new Dictionary<NodeCertificateStatus, string>
    {
        [NodeCertificateStatus.Active] = "active",
        [NodeCertificateStatus.Revoked] = "revoked",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<TransferState, string> TransferStateNames = new Dictionary<TransferState, string>
    {
        [TransferState.Open] = "open",
        [TransferState.Completed] = "completed",
        [TransferState.Failed] = "failed",
        [TransferState.Expired] = "expired",
    }.ToFrozenDictionary();

    public static string ToWire(this TransferState value) => TransferStateNames[value];

    public static TransferState ParseTransferState(string wire) => Parse(TransferStateNames, wire, "transfer state");

    public static string ToWire(this UploadJobStatus value) => StatusNames[value];

    public static string ToWire(this UploadJobErrorCode value) => ErrorCodeNames[value];

    public static string ToWire(this IngestMode value) => IngestModeNames[value];

    public static string ToWire(this NodeCertificateStatus value) => CertificateStatusNames[value];

    public static UploadJobStatus ParseStatus(string wire) => Parse(StatusNames, wire, "upload job status");

    public static UploadJobErrorCode ParseErrorCode(string wire) => Parse(ErrorCodeNames, wire, "upload job error code");

    public static IngestMode ParseIngestMode(string wire) => Parse(IngestModeNames, wire, "ingest mode");

    public static NodeCertificateStatus ParseCertificateStatus(string wire) => Parse(CertificateStatusNames, wire, "certificate status");

    public static IEnumerable<string> AllStatuses => StatusNames.Values;

    private static T Parse<T>(FrozenDictionary<T, string> names, string wire, string what)
        where T : struct, Enum
    {
        foreach (var (value, name) in names)
        {
            if (string.Equals(name, wire, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new FormatException($"Unknown {what} '{wire}'.");
    }
}
