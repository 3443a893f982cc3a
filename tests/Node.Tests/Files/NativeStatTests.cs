using LxAnnotate.Node.Files;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Files;

public sealed class NativeStatTests
{
    [Fact]
    public async Task TryLstat_RegularFile_SizeInodeAndMtime()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("a.bin");
        await File.WriteAllBytesAsync(path, new byte[1234]);

        Assert.True(NativeStat.TryLstat(path, out var stat));

        Assert.Equal(FileKind.Regular, stat.Kind);
        Assert.Equal(1234UL, stat.Signature.Size);
        Assert.NotEqual(0UL, stat.Signature.Inode);
        var mtime = DateTimeOffset.FromUnixTimeSeconds(stat.Signature.MtimeSeconds).AddTicks(stat.Signature.MtimeNanoseconds / 100);
        Assert.Equal(File.GetLastWriteTimeUtc(path), mtime.UtcDateTime);
    }

    [Fact]
    public async Task TryLstat_Symlink_DescribesTheLinkNotTheTarget()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("target.bin");
        await File.WriteAllBytesAsync(target, new byte[10]);
        File.CreateSymbolicLink(temp.Combine("link"), target);

        Assert.True(NativeStat.TryLstat(temp.Combine("link"), out var link));
        Assert.True(NativeStat.TryLstat(target, out var file));

        Assert.Equal(FileKind.SymbolicLink, link.Kind);
        Assert.NotEqual(file.Signature.Inode, link.Signature.Inode);
    }

    [Fact]
    public async Task TryLstat_DirectoryFifoAndMissing_Classified()
    {
        using var temp = new TempDirectory();
        var fifo = temp.Combine("pipe");
        Assert.Equal(0, (await ProcessRunner.RunAsync("mkfifo", [fifo], new Dictionary<string, string?>(), TimeSpan.FromSeconds(10))).ExitCode);

        Assert.True(NativeStat.TryLstat(temp.Path, out var directory));
        Assert.True(NativeStat.TryLstat(fifo, out var pipe));

        Assert.Equal(FileKind.Directory, directory.Kind);
        Assert.Equal(FileKind.Special, pipe.Kind);
        Assert.False(NativeStat.TryLstat(temp.Combine("missing"), out _));
        Assert.False(NativeStat.TryLstat(temp.Combine("missing", "deeper"), out _));
    }

    [Fact]
    public async Task ReadIfUnchanged_SameFile_ReadsAtMostMaxBytes()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("s.json");
        await File.WriteAllTextAsync(path, "0123456789");
        Assert.True(NativeStat.TryLstat(path, out var stat));

        Assert.Equal("0123456789"u8.ToArray(), NativeStat.ReadIfUnchanged(path, stat.Signature, 100));
        Assert.Equal("0123"u8.ToArray(), NativeStat.ReadIfUnchanged(path, stat.Signature, 4));
    }

    [Fact]
    public async Task ReadIfUnchanged_ReplacedByFifo_NotReadAndDoesNotBlock()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("s.json");
        await File.WriteAllTextAsync(path, "{}");
        Assert.True(NativeStat.TryLstat(path, out var stat));
        File.Delete(path);
        Assert.Equal(0, (await ProcessRunner.RunAsync("mkfifo", [path], new Dictionary<string, string?>(), TimeSpan.FromSeconds(10))).ExitCode);

        var read = Task.Run(() => NativeStat.ReadIfUnchanged(path, stat.Signature, 100));

        Assert.Null(await read.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ReadIfUnchanged_ReplacedBySymlink_NotRead()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("s.json");
        await File.WriteAllTextAsync(path, "{}");
        Assert.True(NativeStat.TryLstat(path, out var stat));
        await File.WriteAllTextAsync(temp.Combine("other"), "secret");
        File.Delete(path);
        File.CreateSymbolicLink(path, temp.Combine("other"));

        Assert.Null(NativeStat.ReadIfUnchanged(path, stat.Signature, 100));
        Assert.Null(NativeStat.ReadIfUnchanged(temp.Combine("gone"), stat.Signature, 100));
    }
}
