using LxAnnotate.Shared.Envelope;
using LxAnnotate.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Shared.Tests.Envelope;

public sealed class RecipientKeyRingTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Load_OwnerOnlyPkcs8Keys_FindsEachByKeyId()
    {
        using var directory = new TempDirectory();
        var first = WriteKey(directory, "a.pem", OwnerOnly, out var firstKey);
        var second = WriteKey(directory, "b.pem", OwnerOnly | UnixFileMode.GroupRead, out var secondKey);

        var ring = RecipientKeyRing.Load([first, second], requireRootOwned: false);

        Assert.NotNull(ring.Find(X25519Keys.KeyId(firstKey.GeneratePublicKey())));
        Assert.NotNull(ring.Find(X25519Keys.KeyId(secondKey.GeneratePublicKey())));
        Assert.Equal(2, ring.KeyIds.Count);
    }

    [Fact]
    public void Load_SymbolicLink_Refused()
    {
        using var directory = new TempDirectory();
        var key = WriteKey(directory, "a.pem", OwnerOnly, out _);
        var link = directory.Combine("link.pem");
        File.CreateSymbolicLink(link, key);

        var error = Assert.Throws<InvalidDataException>(() => RecipientKeyRing.Load([link], requireRootOwned: false));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherRead)]
    public void Load_LooseMode_Refused(UnixFileMode extra)
    {
        using var directory = new TempDirectory();
        var key = WriteKey(directory, "a.pem", OwnerOnly | extra, out _);

        var error = Assert.Throws<InvalidDataException>(() => RecipientKeyRing.Load([key], requireRootOwned: false));

        Assert.Contains("group-writable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RelativePathOrNotRootOwned_Refused()
    {
        using var directory = new TempDirectory();
        var key = WriteKey(directory, "a.pem", OwnerOnly, out _);

        Assert.Throws<InvalidDataException>(() => RecipientKeyRing.Load(["a.pem"], requireRootOwned: false));
        if (Environment.UserName != "root")
        {
            var error = Assert.Throws<InvalidDataException>(() => RecipientKeyRing.Load([key], requireRootOwned: true));
            Assert.Contains("not owned by root", error.Message, StringComparison.Ordinal);
        }
    }

    private static string WriteKey(TempDirectory directory, string name, UnixFileMode mode, out X25519PrivateKeyParameters key)
    {
        key = new X25519PrivateKeyParameters(new SecureRandom());
        var path = directory.Combine(name);
        File.WriteAllText(path, X25519Keys.PrivateKeyPem(key));
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
