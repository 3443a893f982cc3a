namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// The hash salt, resolved once at worker start (<see cref="DjangoSalt.Resolve"/>) so a missing or bad salt
/// stops the worker with one line before it claims any job.
/// </summary>
internal sealed class SaltProvider(string value)
{
    public string Value { get; } = value;

    public override string ToString() => "SaltProvider { value withheld }";
}
