namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The operator console (<c>/console/</c>): off unless a client id is configured; resolved by <see cref="ConsoleOptionsResolver"/>.
/// </summary>
internal sealed record ConsoleOptions
{
    public const string ClientIdVariable = "LXA_HUB_CONSOLE_OIDC_CLIENT_ID";
    public const string ClientSecretFileVariable = "LXA_HUB_CONSOLE_OIDC_CLIENT_SECRET_FILE";
    public const string ScopesVariable = "LXA_HUB_CONSOLE_OIDC_SCOPES";
    public const string RoleClaimVariable = "LXA_HUB_CONSOLE_ROLE_CLAIM";
    public const string RoleVariable = "LXA_HUB_CONSOLE_ROLE";

    public const string DefaultRoleClaim = "roles";
    public const string DefaultRole = "lxa-operator";
    public const string DefaultScopes = "openid profile";

    public bool Enabled { get; init; }

    /// <summary>The provider (<c>OIDC_ISSUER</c>, shared with the REST API's bearer tokens).</summary>
    public Uri? Issuer { get; init; }

    public string? ClientId { get; init; }

    /// <summary>Confidential client secret; null for a public client (PKCE alone).</summary>
    public string? ClientSecret { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The claim that carries the operator's roles (a JSON array, repeated claims or a space-separated list).</summary>
    public string RoleClaim { get; init; } = DefaultRoleClaim;

    /// <summary>The role an operator must hold to use the console at all.</summary>
    public string Role { get; init; } = DefaultRole;

    /// <summary>The claim listing the centers an operator may see (<c>OIDC_CENTER_CLAIM</c>); absent means hub-wide.</summary>
    public string CenterClaim { get; init; } = "center_keys";

    /// <summary>
    /// The provider's metadata may be fetched over plain HTTP only when it runs on this host (loopback): nothing
    /// leaves the machine. Everywhere else it must be HTTPS.
    /// </summary>
    public bool IssuerIsLoopbackHttp => Issuer is { Scheme: "http", IsLoopback: true };

    // The client secret is a secret: never part of a printed options object.
    public override string ToString() =>
        $"ConsoleOptions {{ Enabled = {Enabled}, Issuer = {Issuer}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "none" : "set")}, RoleClaim = {RoleClaim}, Role = {Role}, CenterClaim = {CenterClaim} }}";

    /// <summary>One line for <c>check-config</c> and the start-up log; no secret.</summary>
    public string Describe() => Enabled
        ? $"on at /console/ (issuer {Issuer}, client {ClientId}{(ClientSecret is null ? ", public client" : ", client secret from file")}, role {RoleClaim}={Role}, centers from {CenterClaim})"
        : $"off (set {ClientIdVariable} to turn it on)";
}
