namespace LxAnnotate.Hub.Domain;

public enum UploadJobErrorCode
{
    DispatchUnavailable,
    DuplicateContent,
    InvalidConfiguration,
    InvalidInput,
    MediaIntegrityFailed,
    ProcessingFailed,
    SourceMissing,
}
