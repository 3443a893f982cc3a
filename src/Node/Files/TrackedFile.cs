namespace LxAnnotate.Node.Files;

/// <summary>What a drop folder remembers about one path between scans; forgotten when the path disappears.</summary>
internal sealed class TrackedFile(FileSignature signature, DateTimeOffset since)
{
    public FileSignature Signature { get; private set; } = signature;

    /// <summary>When the current signature was first seen; the stability clock runs from here.</summary>
    public DateTimeOffset Since { get; private set; } = since;

    /// <summary>Since when this (ready) preanonymized file has had no sidecar.</summary>
    public DateTimeOffset? SidecarMissingSince { get; set; }

    /// <summary>Unexpected failures while taking the file, across scans.</summary>
    public int Failures { get; set; }

    /// <summary>Records an observation; any change of the signature restarts the clock.</summary>
    public void Observe(FileSignature signature, DateTimeOffset now)
    {
        if (signature != Signature)
        {
            Signature = signature;
            Since = now;
        }
    }
}
