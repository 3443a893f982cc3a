namespace LxAnnotate.Hub.Domain;

/// <summary>Job states; wire names (<see cref="WireNames"/>) are those of the original system.</summary>
public enum UploadJobStatus
{
    Pending,
    Processing,
    Retrying,
    Anonymized,
    Error,
    Lost,
}
