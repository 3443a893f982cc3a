using System.Security.Cryptography;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Storage.Encryption;

/// <summary>
/// Interoperability with an independent implementation of LXENC01 (<c>interop/lxenc01.py</c>, Debian's
/// python3-cryptography): fixtures it wrote are checked in and decrypted here, and files written here are
/// decrypted by it during the test run.
/// </summary>
public sealed class LxEnc01InteropTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Storage", "Encryption", "Fixtures");

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Storage", "Encryption", "interop", "lxenc01.py");

    [Theory]
    [InlineData("multi-5000-chunk1024.lxenc", 5000, 1024, "9dd6e23236d651c62518ad1115bae33f1ebff883f8437ca115ef4629e7a1422d")]
    [InlineData("exact-3072-chunk1024.lxenc", 3072, 1024, "90dd7effc67147b3d3b265426b487a4d6a453dc4022e4bfe3400e51dc9f4ca12")]
    [InlineData("empty.lxenc", 0, LxEnc01.DefaultChunkSize, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public async Task OpenFile_PythonFixture_DecryptsToKnownPlaintext(string name, int length, int chunkSize, string sha256)
    {
        using var reader = LxEnc01ReadStream.OpenFile(Path.Combine(Fixtures, name), TestKeys.Ring32, expectedPlaintextLength: length);
        var plaintext = new MemoryStream();
        await reader.CopyToAsync(plaintext).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(chunkSize, reader.Header.ChunkSize);
        Assert.Equal(TestKeys.FixturePlaintext(length), plaintext.ToArray());
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(plaintext.ToArray())));
    }

    [Fact]
    public void OpenFile_PythonFixtureWith16ByteMasterKey_Decrypts()
    {
        using var reader = LxEnc01ReadStream.OpenFile(Path.Combine(Fixtures, "small-300-key16.lxenc"), new MasterKeyRing(TestKeys.Key16));
        var plaintext = new byte[reader.Length];
        reader.ReadExactly(plaintext);

        Assert.Equal(TestKeys.FixturePlaintext(300), plaintext);
    }

    [Fact]
    public async Task OpenFile_PythonFixtureRange_ReturnsBytesAcrossChunks()
    {
        await using var reader = LxEnc01ReadStream.OpenFile(Path.Combine(Fixtures, "multi-5000-chunk1024.lxenc"), TestKeys.Ring32);
        reader.Position = 1000;
        var range = new byte[2100];
        await reader.ReadExactlyAsync(range).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TestKeys.FixturePlaintext(5000)[1000..3100], range);
    }

    [Theory]
    [InlineData(0, 1024, 32)]
    [InlineData(4096, 1024, 32)]
    [InlineData(5000, 1024, 24)]
    [InlineData(70000, 65536, 16)]
    [InlineData(300000, LxEnc01.DefaultChunkSize, 32)]
    public async Task WriteAsync_OurFile_PythonDecryptsIt(int length, int chunkSize, int keyLength)
    {
        using var dir = new TempDirectory();
        var key = RandomNumberGenerator.GetBytes(keyLength);
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var encrypted = dir.Combine("ours.lxenc");
        await EncryptedFile.WriteAsync(new MemoryStream(plaintext), encrypted, new MasterKeyRing(key), chunkSize: chunkSize);

        var decrypted = dir.Combine("theirs.bin");
        var result = await RunPythonAsync("decrypt", TestKeys.WriteKeyFile(dir.Path, key), encrypted, decrypted);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(decrypted));
    }

    [Fact]
    public async Task OpenFile_PythonWrittenAtRunTime_Decrypts()
    {
        using var dir = new TempDirectory();
        var key = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(10_000);
        var source = dir.Combine("plain.bin");
        await File.WriteAllBytesAsync(source, plaintext);
        var encrypted = dir.Combine("theirs.lxenc");

        var result = await RunPythonAsync("encrypt", TestKeys.WriteKeyFile(dir.Path, key), source, encrypted, "--chunk-size", "4096");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plaintext)), await EncryptedFile.Sha256Async(encrypted, new MasterKeyRing(key), plaintext.Length));
        using var reader = LxEnc01ReadStream.OpenFile(encrypted, new MasterKeyRing(key), plaintext.Length);
        var output = new byte[plaintext.Length];
        reader.ReadExactly(output);
        Assert.Equal(plaintext, output);
    }

    [Fact]
    public async Task PythonDecrypt_OurFileTampered_Refuses()
    {
        using var dir = new TempDirectory();
        var key = RandomNumberGenerator.GetBytes(32);
        var encrypted = dir.Combine("ours.lxenc");
        await EncryptedFile.WriteAsync(new MemoryStream(new byte[2000]), encrypted, new MasterKeyRing(key), chunkSize: 1024);
        var bytes = await File.ReadAllBytesAsync(encrypted);
        bytes[^5] ^= 0x40;
        await File.WriteAllBytesAsync(encrypted, bytes);

        var result = await RunPythonAsync("decrypt", TestKeys.WriteKeyFile(dir.Path, key), encrypted, dir.Combine("out.bin"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("failed authentication", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunPythonAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Python, [Script, .. arguments], new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
}
