using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Transfer.PartialFiles;

public sealed class PartialFileStoreTests
{
    [Fact]
    public async Task Discard_PartialAndEnvelope_BothRemoved()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var id = Guid.NewGuid();
        await store.WriteEnvelopeJsonAsync(id, "{}", CancellationToken.None);
        await File.WriteAllBytesAsync(store.PartialPath(id), new byte[10]);

        store.Discard(id);

        Assert.False(File.Exists(store.PartialPath(id)));
        Assert.False(File.Exists(store.EnvelopePath(id)));
        Assert.Null(store.ReadEnvelopeJson(id));
    }

    [Fact]
    public async Task ReadEnvelopeJson_NoEnvelope_NullWithoutAnException()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var id = Guid.NewGuid();
        var missing = store.EnvelopePath(id);
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            // Other tests run alongside: only an exception about this envelope's path counts.
            if (e.Exception is IOException && e.Exception.Message.Contains(missing, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            Assert.Null(store.ReadEnvelopeJson(id));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, thrown);
    }

    [Fact]
    public async Task WriteEnvelopeJsonAsync_Written_IsReadBackExactly()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var id = Guid.NewGuid();

        await store.WriteEnvelopeJsonAsync(id, "{\"profile\":\"x\"}", CancellationToken.None);

        Assert.Equal("{\"profile\":\"x\"}", store.ReadEnvelopeJson(id));
    }

    [Fact]
    public async Task OpenExclusive_WhileAnotherCallHoldsIt_IsBusy()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var session = Session("video/mp4");
        var id = session.Id;
        await using var first = store.OpenExclusive(session, NullLogger.Instance);

        var ex = Assert.Throws<TransferException>(() => store.OpenExclusive(session, NullLogger.Instance));

        Assert.Equal(TransferErrorKind.Busy, ex.Kind);
        Assert.Equal($"Transfer {id} is being received by another call.", ex.Message);
    }

    [Theory]
    [InlineData("application/pdf", true)]
    [InlineData("text/plain", true)]
    [InlineData("video/mp4", false)]
    public async Task OpenExclusive_WithMasterKey_EncryptsSensitiveTypesOnly(string contentType, bool encrypted)
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, extraEnvironment: WithMasterKey());
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var session = Session(contentType);

        await using var file = store.OpenExclusive(session, NullLogger.Instance);

        Assert.Equal(encrypted, file.Encrypted);
        Assert.Equal(encrypted ? store.EncryptedPartialPath(session.Id) : store.PartialPath(session.Id), file.Path);
    }

    [Fact]
    public async Task OpenExclusive_EnvelopedPdf_KeepsTheCiphertextAsItIs()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite, extraEnvironment: WithMasterKey());
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var session = Session("application/pdf");
        await store.WriteEnvelopeJsonAsync(session.Id, "{}", CancellationToken.None);

        await using var file = store.OpenExclusive(session, NullLogger.Instance);

        Assert.False(file.Encrypted);
        Assert.Equal(store.PartialPath(session.Id), file.Path);
    }

    [Fact]
    public async Task Discard_EncryptedPartialAndStaging_Removed()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var store = harness.Services.GetRequiredService<PartialFileStore>();
        var id = Guid.NewGuid();
        await File.WriteAllBytesAsync(store.EncryptedPartialPath(id), new byte[10]);
        await File.WriteAllBytesAsync(store.StagingPath(id), new byte[10]);

        store.Discard(id);

        Assert.False(File.Exists(store.EncryptedPartialPath(id)));
        Assert.False(File.Exists(store.StagingPath(id)));
    }

    private static Dictionary<string, string> WithMasterKey() => new() { ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.NewEncoded() };

    private static TransferSession Session(string contentType) => new()
    {
        Id = Guid.NewGuid(),
        Sha256 = new string('a', 64),
        SizeBytes = 10,
        ContentType = contentType,
        SourceSystem = "test",
    };
}
