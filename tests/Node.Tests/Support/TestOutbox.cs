using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>The parts of a real outbox over one settings object, wired as the node wires them, opened and repaired.</summary>
internal sealed class TestOutbox
{
    private TestOutbox(NodeSettings settings)
    {
        var database = new OutboxDatabase(settings);
        Store = new OutboxStore(database, settings, TimeProvider.System);
        Hashes = new HashCache(database);
        Intake = new OutboxIntake(database, Store, Hashes, settings, TimeProvider.System, NullLogger<OutboxIntake>.Instance);
        Initializer = new OutboxInitializer(Store, new TakingRepair(database, settings, NullLogger<TakingRepair>.Instance), settings, NullLogger<OutboxInitializer>.Instance);
    }

    public OutboxStore Store { get; }

    public OutboxIntake Intake { get; }

    public HashCache Hashes { get; }

    public OutboxInitializer Initializer { get; }

    /// <summary>What the end of this node process, crash or not, leaves: its hold on the outbox's process lock is gone.</summary>
    public void End() => Initializer.Dispose();

    public static async Task<TestOutbox> OpenAsync(NodeSettings settings)
    {
        var outbox = new TestOutbox(settings);
        await outbox.Initializer.InitializeAsync(CancellationToken.None);
        return outbox;
    }

    /// <summary>Takes files as push does when the hub is not asked first.</summary>
    public async Task<IReadOnlyList<(AdmitOutcome Outcome, Guid ItemId)>> AdmitCopiesAsync(IReadOnlyList<OutboxArtifact> artifacts, int parallelism)
    {
        var batch = await Intake.PrepareCopiesAsync(artifacts, parallelism, CancellationToken.None);
        return await Intake.TakeCopiesAsync(batch, parallelism, CancellationToken.None);
    }
}
