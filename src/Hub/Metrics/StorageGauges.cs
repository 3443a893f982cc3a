namespace LxAnnotate.Hub.Metrics;

/// <summary>Free and total bytes of the file system that holds <c>STORAGE_DIR</c>, for the "disk space low" alert.</summary>
internal static class StorageGauges
{
    public static void Collect(HubMetrics metrics, string storageDir)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var drive = new DriveInfo(storageDir);
        metrics.StorageFreeBytes.Set(drive.AvailableFreeSpace);
        metrics.StorageSizeBytes.Set(drive.TotalSize);
    }
}
