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

    public void Dispose() => Key.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
