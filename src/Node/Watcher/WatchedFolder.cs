using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Watcher;

/// <summary>A drop folder, what it accepts and under which entrypoint its files go to the outbox.</summary>
/// <param name="Name">Folder name as operators know it (<c>video_import</c>); used in logs and reasons.</param>
/// <param name="Path">Absolute path under the data root.</param>
/// <param name="Entrypoint">Entrypoint recorded in the artifact's provenance.</param>
/// <param name="ContentTypes">Accepted extensions (with the dot, any case) and the media type each maps to (sent as is only where <paramref name="Content"/> is <see cref="DropContent.ByExtension"/>).</param>
/// <param name="RequiresSidecar">Each file needs a <c>&lt;stem&gt;.json</c> sidecar (preanonymized exports).</param>
/// <param name="Content">What the files' bytes must be; the type they are sent with comes from the bytes (<see cref="DropContentCheck"/>).</param>
internal sealed record WatchedFolder(
    string Name,
    string Path,
    string Entrypoint,
    IReadOnlyDictionary<string, string> ContentTypes,
    bool RequiresSidecar,
    DropContent Content)
{
    public const string SidecarExtension = ".json";

    private static readonly IReadOnlyDictionary<string, string> VideoTypes = Outbox.ContentTypes.For(".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v");

    private static readonly IReadOnlyDictionary<string, string> ReportTypes = Outbox.ContentTypes.For(".pdf");

    private static readonly IReadOnlyDictionary<string, string> PreanonymizedTypes = Outbox.ContentTypes.For(".pdf", ".mp4", ".txt");

    public static IReadOnlyList<WatchedFolder> All(DataPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return
        [
            new("video_import", paths.VideoImport, "watcher.video_import", VideoTypes, RequiresSidecar: false, DropContent.Video),
            new("report_import", paths.ReportImport, "watcher.report_import", ReportTypes, RequiresSidecar: false, DropContent.Pdf),
            new("preanonymized_import", paths.PreanonymizedImport, "watcher.preanonymized_import", PreanonymizedTypes, RequiresSidecar: true, DropContent.ByExtension),
        ];
    }

    /// <summary>Accepted extensions, for reason files.</summary>
    public string AcceptedList => string.Join(' ', ContentTypes.Keys.Order(StringComparer.Ordinal));
}
