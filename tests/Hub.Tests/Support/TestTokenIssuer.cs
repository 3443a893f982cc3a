using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>A throwaway OIDC provider: an RSA key, its JWKS file and tokens signed with it.</summary>
internal sealed class TestTokenIssuer : IDisposable
{
    public const string Issuer = "https://idp.test/realms/lxa";
    public const string Audience = "lx-annotate";
    public const string KeyId = "test-key-1";

    private readonly RSA rsa = RSA.Create(2048);

    /// <summary>Writes the public key as a JWKS document, as an operator would for <c>OIDC_JWKS_FILE</c>.</summary>
    public void WriteJwks(string path)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var jwks = new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(jwks));
    }

    /// <summary>A token for <paramref name="subject"/> scoped to <paramref name="centers"/> (a JSON array claim).</summary>
    public string Create(string subject, string[] centers, TimeSpan? lifetime = null, DateTime? issuedAt = null, RSA? signWith = null, string audience = Audience)
    {
        var issued = issuedAt ?? DateTime.UtcNow;
        var key = new RsaSecurityKey(signWith ?? rsa) { KeyId = KeyId };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + (lifetime ?? TimeSpan.FromMinutes(10)),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["center_keys"] = centers },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public void Dispose() => rsa.Dispose();
}
