using System.Security.Cryptography;

namespace LxAnnotate.TestSupport;

/// <summary>A throwaway master key made at test time, as <c>LX_ANNOTATE_MASTER_KEY</c> expects it (URL-safe base64 of 32 bytes).</summary>
public static class TestMasterKey
{
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    public static string Encode(byte[] key) => Convert.ToBase64String(key).Replace('+', '-').Replace('/', '_');

    public static string NewEncoded() => Encode(NewKey());
}
