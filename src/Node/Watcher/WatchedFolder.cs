using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Watcher;

/// <summary>A drop folder, what it accepts and under which entrypoint its files go to the outbox.</summary>
/// <param name="Name">Folder name as operators know it (<c>video_import</c>); used in logs and reasons.</param>
/// <param name="Path">Absolute path under the data root.</param>
/// <param name="Entrypoint">Entrypoint recorded in the artifact's provenance.</param>
/// <param name="ContentTypes">Accepted extensions (with the dot, any case) and the media type each maps to.</param>
/// <param name="RequiresSidecar">Each file needs a <c>&lt;stem&gt;.json</c> sidecar (preanonymized exports).</param>
internal sealed record WatchedFolder(
    string Name,
    string Path,
    string Entrypoint,
    IReadOnlyDictionary<string, string> ContentTypes,
    bool RequiresSidecar)
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
            new("video_import", paths.VideoImport, "watcher.video_import", VideoTypes, RequiresSidecar: false),
            new("report_import", paths.ReportImport, "watcher.report_import", ReportTypes, RequiresSidecar: false),
            new("preanonymized_import", paths.PreanonymizedImport, "watcher.preanonymized_import", PreanonymizedTypes, RequiresSidecar: true),
        ];
    }

    /// <summary>Accepted extensions, for reason files.</summary>
    public string AcceptedList => string.Join(' ', ContentTypes.Keys.Order(StringComparer.Ordinal));
}
