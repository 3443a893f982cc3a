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
        var id = Guid.NewGuid();
        await using var first = store.OpenExclusive(id, NullLogger.Instance);

        var ex = Assert.Throws<TransferException>(() => store.OpenExclusive(id, NullLogger.Instance));

        Assert.Equal(TransferErrorKind.Busy, ex.Kind);
        Assert.Equal($"Transfer {id} is being received by another call.", ex.Message);
    }
}
