using System.Buffers.Binary;
using System.IO.Compression;
using LxAnnotate.Node.SapImport;
using LxAnnotate.Node.Tests.Support;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class SafeArchiveReaderTests
{
    private static readonly string Briefe = SapArchives.Tsv(SapArchives.BriefeHeader, "1\t2\t2024-05-17\tText");

    [Theory]
    [InlineData("/etc/briefe.txt", "absolute")]
    [InlineData("../briefe.txt", "'..'")]
    [InlineData("export/../../briefe.txt", "'..'")]
    [InlineData("export\\briefe.txt", "backslash")]
    [InlineData("C:briefe.txt", "drive-letter")]
    [InlineData("c:/briefe.txt", "drive-letter")]
    public void Run_UnsafeEntryName_RefusedNamingTheEntryAndNothingWritten(string name, string problem)
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("ok.txt", Briefe), (name, Briefe));

        var ex = harness.Refused();

        Assert.Contains($"entry '{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.OutputNames());
        Assert.True(harness.StagingEmpty);
    }

    [Fact]
    public void Run_SymlinkEntry_Refused()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, archive =>
        {
            var link = archive.CreateEntry("briefe.txt");
            link.ExternalAttributes = unchecked((int)0xA1FF0000);
            using var stream = link.Open();
            stream.Write("/etc/passwd"u8);
        });

        var ex = harness.Refused();

        Assert.Contains("entry 'briefe.txt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.OutputNames());
    }

    [Fact]
    public void Run_DuplicateEntryName_Refused()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("a/briefe.txt", Briefe), ("a/briefe.txt", Briefe));

        var ex = harness.Refused();

        Assert.Contains("entry 'a/briefe.txt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MoreEntriesThanTheLimit_Refused()
    {
        using var harness = new SapImportHarness(new ArchiveLimits(MaxEntries: 3));
        SapArchives.Zip(harness.Zip, Enumerable.Range(0, 4).Select(i => ($"t{i}.txt", Briefe)).ToArray());

        var ex = harness.Refused();

        Assert.Contains("4 entries", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LXA_SAP_IMPORT_MAX_ENTRIES", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DeclaredTotalAboveLimit_Refused()
    {
        using var harness = new SapImportHarness(new ArchiveLimits(MaxUncompressedBytes: 100));
        SapArchives.Zip(harness.Zip, ("a.txt", Briefe), ("b.txt", Briefe + new string('x', 100)));

        var ex = harness.Refused();

        Assert.Contains("LXA_SAP_IMPORT_MAX_UNCOMPRESSED_BYTES", ex.Message, StringComparison.Ordinal);
        Assert.True(harness.StagingEmpty);
    }

    [Fact]
    public void Run_SizeFieldsLie_NeverMoreThanDeclaredIsExtracted()
    {
        using var harness = new SapImportHarness(new ArchiveLimits(MaxUncompressedBytes: 64 * 1024, MaxCompressionRatio: 1_000_000));
        var big = SapArchives.Tsv(SapArchives.BriefeHeader, "1\t2\t2024-05-17\t" + new string('x', 512 * 1024));
        SapArchives.Zip(harness.Zip, ("big.txt", big));
        PatchDeclaredSizes(harness.Zip, 10);

        // The declared 10 bytes pass the limit; the reader stops there (the header is cut short), so the
        // 512 KiB behind the lie never reach the disk and the archive has no usable table.
        var ex = harness.Refused();

        Assert.Contains("no supported SAP IS-H table", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.OutputNames());
        Assert.True(harness.StagingEmpty);
    }

    [Fact]
    public void Run_CompressionRatioOfABomb_Refused()
    {
        using var harness = new SapImportHarness(new ArchiveLimits(MaxCompressionRatio: 100));
        SapArchives.Zip(harness.Zip, archive =>
        {
            using var stream = archive.CreateEntry("bomb.txt", CompressionLevel.SmallestSize).Open();
            stream.Write(System.Text.Encoding.UTF8.GetBytes(SapArchives.BriefeHeader + "\n"));
            stream.Write(new byte[8 * 1024 * 1024]);
        });

        var ex = harness.Refused();

        Assert.Contains("entry 'bomb.txt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("zip bomb", ex.Message, StringComparison.Ordinal);
        Assert.True(harness.StagingEmpty);
    }

    [Fact]
    public void Run_NotAZip_Refused()
    {
        using var harness = new SapImportHarness();
        File.WriteAllText(harness.Zip, "PatientNr\tFallNr");

        Assert.Contains("not a readable zip", harness.Refused().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NonTableEntriesAndFolders_IgnoredNotExtracted()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("export/", ""), ("export/briefe.TXT", Briefe), ("export/readme.pdf", "%PDF"));

        var report = harness.Run();

        Assert.Equal(["export/briefe.TXT"], report.Conversion.MatchedTables);
        Assert.Single(report.Files);
    }

    /// <summary>Rewrites the uncompressed size in every local and central header, as a hostile archive would.</summary>
    private static void PatchDeclaredSizes(string zip, uint size)
    {
        var bytes = File.ReadAllBytes(zip);
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
            }
            else if (signature == 0x02014b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
            }
        }

        File.WriteAllBytes(zip, bytes);
    }
}
