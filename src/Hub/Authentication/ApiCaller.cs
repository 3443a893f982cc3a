using LxAnnotate.Hub.Ingest;

namespace LxAnnotate.Hub.Authentication;

/// <summary>Who is calling the REST gateway, or why the call is refused as unauthenticated.</summary>
/// <param name="Identity">The caller; null when refused.</param>
/// <param name="Refusal">Message for the 401 answer; null when accepted.</param>
/// <param name="InvalidToken">True when a token was sent but not accepted (as opposed to no token at all).</param>
internal sealed record ApiCaller(CallerIdentity? Identity, string? Refusal, bool InvalidToken)
{
    public static ApiCaller Accepted(CallerIdentity identity) => new(identity, null, false);

    public static ApiCaller Missing(string refusal) => new(null, refusal, false);

    public static ApiCaller Invalid(string refusal) => new(null, refusal, true);
}
