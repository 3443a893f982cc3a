namespace LxAnnotate.Hub.Hosting;

/// <summary>How <c>lxa-hub serve</c> writes its log lines; bound from <see cref="FormatVariable"/>.</summary>
internal sealed record LoggingOptions
{
    public const string FormatVariable = "LXA_LOG_FORMAT";

    /// <summary><c>text</c> (one line per entry) or <c>json</c>.</summary>
    public string Format { get; init; } = "text";

    public bool JsonLogs => Format == "json";
}
