namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>How <c>GET /api/media/{id}</c> hands out plaintext media; bound from <see cref="AccelRedirectVariable"/>.</summary>
internal sealed record ProtectedMediaOptions
{
    public const string AccelRedirectVariable = "LX_ANNOTATE_MEDIA_ACCEL_REDIRECT";

    /// <summary>
    /// The endpoint only authorizes and hands plaintext media to nginx with <c>X-Accel-Redirect</c> (default on
    /// <c>central_hub</c>); off, the hub serves the bytes.
    /// </summary>
    public bool AccelRedirect { get; init; }
}
