using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// Reads a bare JWKS document (<c>OIDC_JWKS_URL</c>) into the configuration the bearer handler expects.
/// The stock retriever reads an OpenID discovery document instead; operators of the original system
/// configure the key set itself, and the issuer is pinned by <c>OIDC_ISSUER</c> rather than discovered.
/// </summary>
internal sealed class JwksConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        var document = await retriever.GetDocumentAsync(address, cancel);
        return FromJson(document);
    }

    /// <summary>Signing keys of a JWKS document; throws <see cref="ArgumentException"/> when it has none.</summary>
    public static OpenIdConnectConfiguration FromJson(string json)
    {
        var keySet = new JsonWebKeySet(json);
        var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = keySet };
        foreach (var key in keySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        if (configuration.SigningKeys.Count == 0)
        {
            throw new ArgumentException("The JSON Web Key Set contains no usable signing key.", nameof(json));
        }

        return configuration;
    }
}
