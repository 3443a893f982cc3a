using LxAnnotate.Hub.PythonEraTransfers;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

public sealed class NodeSecretHashTests
{
    // Django's PBKDF2PasswordHasher layout: algorithm, iterations, salt, base64 of the 32-byte PBKDF2-HMAC-SHA256.
    // (A hash made by Python's own hashlib is verified end to end in HubTransferSite.)
    private const string DjangoHash = "pbkdf2_sha256$1000$m0nKeYsalt$";

    [Fact]
    public void Verify_HashInDjangoFormat_AcceptsOnlyTheSecret()
    {
        var hash = NodeSecretHash.Encode("correct horse battery staple", "m0nKeYsalt", 1000);

        Assert.StartsWith(DjangoHash, hash, StringComparison.Ordinal);
        Assert.True(NodeSecretHash.Verify("correct horse battery staple", hash));
        Assert.False(NodeSecretHash.Verify("correct horse battery stapl", hash));
    }

    [Fact]
    public void Encode_KnownVector_MatchesRfc7914Pbkdf2Sha256()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1 (first 32 bytes of the 64-byte output).
        var hash = NodeSecretHash.Encode("passwd", "salt", 1);

        Assert.Equal("pbkdf2_sha256$1$salt$" + Convert.ToBase64String(Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")), hash);
    }

    [Fact]
    public void Create_DefaultWorkFactor_VerifiesAndHasDjangoShape()
    {
        var hash = NodeSecretHash.Create("a-secret-of-some-length", 1000);

        Assert.Null(NodeSecretHash.Problem(hash));
        Assert.Matches("^pbkdf2_sha256\\$1000\\$[A-Za-z0-9]{22}\\$[A-Za-z0-9+/]{43}=$", hash);
        Assert.True(NodeSecretHash.Verify("a-secret-of-some-length", hash));
    }

    [Theory]
    [InlineData("argon2$1000$salt$AAAA")]
    [InlineData("pbkdf2_sha256$10$salt$VazAblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=")]
    [InlineData("pbkdf2_sha256$1000$salt$not-base64")]
    [InlineData("pbkdf2_sha256$1000$$VazAblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=")]
    public void Problem_MalformedHash_Named(string hash)
    {
        Assert.NotNull(NodeSecretHash.Problem(hash));
        Assert.False(NodeSecretHash.Verify("anything", hash));
    }
}
