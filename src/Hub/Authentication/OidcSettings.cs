namespace LxAnnotate.Hub.Authentication;

/// <summary>How bearer tokens of the OIDC provider are validated (<c>OIDC_*</c>).</summary>
internal sealed record OidcSettings
{
    public required string Issuer { get; init; }

    public required string Audience { get; init; }

    /// <summary>JWKS endpoint of the provider (<c>OIDC_JWKS_URL</c>); or <see cref="JwksFile"/> on offline hosts.</summary>
    public Uri? JwksUrl { get; init; }

    public string? JwksFile { get; init; }

    /// <summary>Claim that lists the centers a caller may upload to (<c>OIDC_CENTER_CLAIM</c>, default <c>center_keys</c>).</summary>
    public string CenterClaim { get; init; } = "center_keys";
}
