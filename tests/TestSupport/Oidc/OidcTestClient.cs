namespace LxAnnotate.TestSupport.Oidc;

/// <summary>The relying party the test provider knows: the hub's console.</summary>
public sealed record OidcTestClient(string ClientId, string ClientSecret, Uri RedirectUri, Uri PostLogoutRedirectUri);
