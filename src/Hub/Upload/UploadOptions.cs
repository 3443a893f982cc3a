namespace LxAnnotate.Hub.Upload;

/// <summary>Limits of the REST gateway <c>/api/upload/</c>; bound from <see cref="MaxBytesVariable"/>.</summary>
internal sealed record UploadOptions
{
    public const string MaxBytesVariable = "LXA_HUB_UPLOAD_MAX_BYTES";

    public long MaxBytes { get; init; } = 1024L * 1024 * 1024;
}
