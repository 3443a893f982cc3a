namespace LxAnnotate.Hub.Authentication;

/// <summary>Who may call the REST API; bound from the variables named here by <see cref="ApiAuthenticationOptionsResolver"/>.</summary>
internal sealed record ApiAuthenticationOptions
{
    public const string EnforceAuthVariable = "ENFORCE_AUTH";
    public const string IssuerVariable = "OIDC_ISSUER";
    public const string AudienceVariable = "OIDC_AUDIENCE";
    public const string JwksUrlVariable = "OIDC_JWKS_URL";
    public const string JwksFileVariable = "OIDC_JWKS_FILE";
    public const string CenterClaimVariable = "OIDC_CENTER_CLAIM";

    /// <summary>The original picks its settings module with this; only its development settings default ENFORCE_AUTH to off.</summary>
    public const string DjangoSettingsModuleVariable = "DJANGO_SETTINGS_MODULE";

    /// <summary>REST calls need a bearer token (always true on a central hub).</summary>
    public bool EnforceAuth { get; init; }

    /// <summary>ENFORCE_AUTH was unset and <see cref="EnforceAuth"/> is the default (on, as in the original's production settings).</summary>
    public bool EnforceAuthByDefault { get; init; }

    public OidcSettings? Oidc { get; init; }
}
