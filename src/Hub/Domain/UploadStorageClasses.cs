namespace LxAnnotate.Hub.Domain;

/// <summary>
/// The original's upload job <c>storage_class</c> (endoreg-db <c>UploadJob.StorageClass</c>): where in its
/// lifecycle the persisted artifact is. Every upload job the original creates (API upload, watcher drop,
/// preanonymized export) starts as <see cref="Ingest"/>, and endoreg-db 1.0.6.3 never changes it afterwards; its
/// storage migration writes <see cref="Managed"/> and <see cref="Quarantine"/> for files it moves, without upload jobs.
/// How the hub keeps the file is <see cref="UploadJob.StorageEncoding"/>, a column of its own.
/// </summary>
public static class UploadStorageClasses
{
    public const string Ingest = "ingest";

    public const string Managed = "managed";

    public const string Quarantine = "quarantine";

    public static bool IsKnown(string value) => value is Ingest or Managed or Quarantine;
}
