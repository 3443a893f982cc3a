using System.Text;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>Fixed test-vector keys (not secrets) and the plaintext the checked-in fixtures were made from.</summary>
internal static class TestKeys
{
    /// <summary>Bytes 0..31: the key of the 32-byte fixtures.</summary>
    public static byte[] Key32 => [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    /// <summary>Bytes 100..115: the key of the 16-byte fixture.</summary>
    public static byte[] Key16 => [.. Enumerable.Range(100, 16).Select(i => (byte)i)];

    public static MasterKeyRing Ring32 => new(Key32);

    public static MasterKeyRing RandomRing() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(byte[] key) => Convert.ToBase64String(key).Replace('+', '-').Replace('/', '_');

    /// <summary>The first <paramref name="length"/> bytes of the fixture text (see Fixtures/README.md).</summary>
    public static byte[] FixturePlaintext(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"LXENC01 interop vector line {i:D4}: the quick brown fox jumps over the lazy dog.\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString())[..length];
    }

    /// <summary>Writes a key file readable by its owner only.</summary>
    public static string WriteKeyFile(string directory, byte[] key, string name = "master.key")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, Base64Url(key) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
