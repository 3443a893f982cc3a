using System.Collections.Concurrent;
using LxAnnotate.Node.Outbox;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>Stands in for the real outbox: moves admitted files (and sidecars) into a folder and records each artifact.</summary>
internal sealed class FakeOutbox(string admittedDir) : IOutbox
{
    private int calls;

    public string AdmittedDir { get; } = admittedDir;

    public ConcurrentQueue<OutboxArtifact> Artifacts { get; } = new();

    public int Calls => Volatile.Read(ref calls);

    public AdmitOutcome Outcome { get; set; } = AdmitOutcome.Admitted;

    /// <summary>When set, every call is refused with this message.</summary>
    public string? RefuseWith { get; set; }

    /// <summary>When set, every call throws what this makes (an unexpected failure).</summary>
    public Func<Exception>? FailWith { get; set; }

    public Task<AdmitOutcome> AdmitAsync(OutboxArtifact artifact, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        if (FailWith is { } fail)
        {
            throw fail();
        }

        if (RefuseWith is { } message)
        {
            throw new ArtifactRefusedException(message);
        }

        Directory.CreateDirectory(AdmittedDir);
        File.Move(artifact.SourcePath, Path.Combine(AdmittedDir, Path.GetFileName(artifact.SourcePath)));
        if (artifact.SidecarPath is { } sidecar)
        {
            File.Move(sidecar, Path.Combine(AdmittedDir, Path.GetFileName(sidecar)));
        }

        Artifacts.Enqueue(artifact);
        return Task.FromResult(Outcome);
    }

    public string Admitted(string name) => Path.Combine(AdmittedDir, name);
}
