using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>The data tree under a temp root, as the configuration resolver lays it out.</summary>
internal static class DataTreeTestPaths
{
    public static DataPaths Under(string root, string? storage = null)
    {
        var data = Path.Combine(root, "data");
        var storageDir = storage ?? Path.Combine(data, "storage");
        var import = Path.Combine(data, "import");
        return new DataPaths(
            Root: data,
            StorageDir: storageDir,
            ImportRoot: import,
            VideoImport: Path.Combine(import, "video_import"),
            ReportImport: Path.Combine(import, "report_import"),
            PreanonymizedImport: Path.Combine(import, "preanonymized_import"),
            SapImport: Path.Combine(import, "sap_import"),
            SapImportProcessed: Path.Combine(import, "sap_import_processed"),
            SapImportFailed: Path.Combine(import, "sap_import_failed"),
            QuarantineDir: Path.Combine(data, "quarantine"),
            LogsDir: Path.Combine(data, "logs"),
            RunDir: Path.Combine(data, "run"),
            IncomingDir: Path.Combine(storageDir, "incoming"));
    }
}
