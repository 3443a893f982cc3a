using System.Security.Cryptography;
using System.Text.Json;

namespace LxAnnotate.TestSupport;

/// <summary>An RSA signing key of a pretend OIDC provider, published as a JWKS file for offline hosts.</summary>
public sealed class TestJwks : IDisposable
{
    public TestJwks(string keyId = "test-key")
    {
        KeyId = keyId;
        Key = RSA.Create(2048);
    }

    public string KeyId { get; }

    public RSA Key { get; }

    public string WriteFile(string directory)
    {
        var parameters = Key.ExportParameters(includePrivateParameters: false);
        var jwks = new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA",
                    use = "sig",
                    alg = "RS256",
                    kid = KeyId,
                    n = Base64Url(parameters.Modulus!),
                    e = Base64Url(parameters.Exponent!),
                },
            },
        };
        var path = Path.Combine(directory, "jwks.json");
        File.WriteAllText(path, JsonSerializer.Serialize(jwks));
        return path;
    }

    /// <summary>An RS256 token signed with this key, carrying <paramref name="centers"/> in <c>center_keys</c> (as a JSON array).</summary>
    public string CreateToken(string issuer, string audience, string subject, IReadOnlyList<string> centers, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["center_keys"] = centers,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromMinutes(10)).TotalSeconds,
        });
        var signingInput = Base64Url(header) + "." + Base64Url(payload);
        var signature = Key.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose() => Key.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
