namespace LxAnnotate.Node.Watcher;

/// <summary>The outcome of <see cref="DropContentCheck"/>: the content type to send, or why the file goes to quarantine.</summary>
/// <param name="ContentType">The content type the file is sent with; null when it is refused.</param>
/// <param name="What">The reason file's <c>what</c> when refused.</param>
/// <param name="Why">The reason file's <c>why</c> when refused.</param>
internal sealed record DropContentDecision(string? ContentType, string? What = null, string? Why = null)
{
    public static DropContentDecision Refuse(string what, string why) => new(null, what, why);
}
