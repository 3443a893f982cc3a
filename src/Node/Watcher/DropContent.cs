namespace LxAnnotate.Node.Watcher;

/// <summary>What a drop folder's files must be, judged from their bytes.</summary>
internal enum DropContent
{
    /// <summary>Not sniffed: preanonymized exports (text, PDF, video) are described by their sidecar.</summary>
    ByExtension,

    /// <summary>A video the hub processes (MP4, QuickTime, AVI, WMV, Matroska, WebM).</summary>
    Video,

    /// <summary>A PDF report.</summary>
    Pdf,
}
