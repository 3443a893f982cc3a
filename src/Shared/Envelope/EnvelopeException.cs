namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// An envelope refused, with the phase it failed in: <see cref="Code"/> and <see cref="Phase"/> are
/// lower-case tokens a sender can act on (<c>recipient_key_unavailable</c>, <c>authentication_failed</c>,
/// <c>size_mismatch</c>, …). Messages name fields, never key material or content.
/// </summary>
public sealed class EnvelopeException(string code, string phase, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;

    public string Phase { get; } = phase;

    /// <summary>The metadata field at fault, when one is.</summary>
    public string? Field { get; } = field;
}
