using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Sync;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Sync;

public sealed class SidecarHintsTests : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public void TryResolve_HintsStoredAtAdmission_UsedWithoutReadingTheSidecar()
    {
        // The outbox copy no longer parses: the stored hints are what was validated at the drop.
        var sidecar = root.Combine("item.sidecar.json");
        File.WriteAllText(sidecar, "not json");
        var stored = new Dictionary<string, string> { ["sidecar.casenumber"] = "C-9" };

        Assert.True(SidecarHints.TryResolve(Item(sidecar) with { SidecarHints = stored }, out var hints, out var problem));

        Assert.Same(stored, hints);
        Assert.Null(problem);
    }

    [Fact]
    public void TryResolve_ItemFromBeforeHintsWereStored_ReadsItsSidecarOnce()
    {
        var sidecar = root.Combine("item.sidecar.json");
        File.WriteAllText(sidecar, """{"casenumber": "C-4", "language": "de"}""");

        Assert.True(SidecarHints.TryResolve(Item(sidecar), out var hints, out var problem));

        Assert.Equal(new Dictionary<string, string> { ["sidecar.casenumber"] = "C-4" }, hints);
        Assert.Null(problem);
    }

    [Fact]
    public void TryResolve_OldItemWhoseSidecarNoLongerValidates_RefusedWithTheReason()
    {
        var sidecar = root.Combine("item.sidecar.json");
        File.WriteAllText(sidecar, """{"patient_name": "x"}""");

        Assert.False(SidecarHints.TryResolve(Item(sidecar), out _, out var problem));

        Assert.StartsWith("unknown key 'patient_name'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_OldItemWhoseSidecarIsMissing_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => SidecarHints.TryResolve(Item(root.Combine("gone.sidecar.json")), out _, out _));
    }

    [Fact]
    public void TryResolve_NoSidecar_NoHints()
    {
        Assert.True(SidecarHints.TryResolve(Item(null), out var hints, out _));

        Assert.Empty(hints);
    }

    private OutboxItem Item(string? sidecarPath) => new()
    {
        Id = Guid.CreateVersion7(),
        State = OutboxState.Queued,
        StoredPath = root.Combine("item.txt"),
        SidecarPath = sidecarPath,
        SourcePath = "/import/preanonymized_import/item.txt",
        ContentType = "text/plain",
        Entrypoint = "watcher.preanonymized_import",
        SourceSystem = "endoscopy",
        Sha256 = new string('c', 64),
    };
}
