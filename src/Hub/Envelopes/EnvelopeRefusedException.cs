using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Envelopes;

/// <summary>
/// The one refusal of <see cref="EnvelopeOpener"/>, which each boundary maps to its own status: either the envelope
/// itself failed (<see cref="Envelope"/>: policy, key unwrap, tag, size, its own plaintext hash) or it opened to a
/// plaintext that is not the media the boundary expected (<see cref="IsMediaMismatch"/>).
/// </summary>
internal sealed class EnvelopeRefusedException : Exception
{
    public EnvelopeRefusedException(EnvelopeException envelope)
        : base(envelope?.Message, envelope)
    {
        Envelope = envelope;
    }

    public EnvelopeRefusedException(string message)
        : base(message)
    {
    }

    public EnvelopeRefusedException()
    {
    }

    public EnvelopeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EnvelopeException? Envelope { get; }

    public bool IsMediaMismatch => Envelope is null;
}
