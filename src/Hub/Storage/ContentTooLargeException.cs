namespace LxAnnotate.Hub.Storage;

public sealed class ContentTooLargeException(long limitBytes)
    : IOException($"The content exceeds the limit of {limitBytes} bytes.")
{
    public long LimitBytes { get; } = limitBytes;
}
