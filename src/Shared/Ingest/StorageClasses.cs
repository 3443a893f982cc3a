namespace LxAnnotate.Shared.Ingest;

public static class StorageClasses
{
    /// <summary>Plaintext file on the operator's encrypted filesystem (large media).</summary>
    public const string Managed = "managed";
}
