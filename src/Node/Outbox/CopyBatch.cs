namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Files of one push, hashed and checked against the outbox but not yet taken (<see cref="OutboxIntake.PrepareCopiesAsync"/>).
/// Before <see cref="OutboxIntake.TakeCopiesAsync"/> takes them, the caller may ask the hub about each
/// candidate and record what it already stores: the outbox itself never calls the hub.
/// </summary>
internal sealed class CopyBatch
{
    private readonly Dictionary<Guid, int> indexById;

    public CopyBatch(IReadOnlyList<OutboxArtifact> artifacts, OutboxItem?[] items, (AdmitOutcome Outcome, Guid ItemId)[] results, DateTimeOffset preparedAt)
    {
        Artifacts = artifacts;
        Items = items;
        Results = results;
        PreparedAt = preparedAt;
        StoredJobs = new string?[items.Length];
        SentNow = new bool[items.Length];
        indexById = items.Select((item, i) => (item, i)).Where(p => p.item is not null).ToDictionary(p => p.item!.Id, p => p.i);
        Candidates = [.. items.OfType<OutboxItem>()];
    }

    public IReadOnlyList<OutboxArtifact> Artifacts { get; }

    /// <summary>
    /// The items that will be taken unless the hub already stores their content (in the order of the files);
    /// their ids are the ones they keep, so an offer made for a candidate is the item's own.
    /// </summary>
    public IReadOnlyList<OutboxItem> Candidates { get; }

    /// <summary>Per file: the item to take, or null when the file's outcome is already decided (a duplicate).</summary>
    internal OutboxItem?[] Items { get; }

    /// <summary>Per file: the outcome, so far only for duplicates.</summary>
    internal (AdmitOutcome Outcome, Guid ItemId)[] Results { get; }

    /// <summary>Per file: the hub's upload job when it already stores the content.</summary>
    internal string?[] StoredJobs { get; }

    /// <summary>Per file: whether this push sent the content the hub stores (before it was taken) rather than found it stored.</summary>
    internal bool[] SentNow { get; }

    /// <summary>When the items got their ids; also their <c>created_at</c>.</summary>
    internal DateTimeOffset PreparedAt { get; }

    /// <summary>
    /// The hub already stores the content of <paramref name="candidate"/>, found there or (<paramref name="sentNow"/>)
    /// sent by this push before it was taken: it is recorded as delivered and nothing is taken. Safe to call for
    /// different candidates at once.
    /// </summary>
    public void MarkStored(OutboxItem candidate, string uploadJobId, bool sentNow = false)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var index = indexById[candidate.Id];
        StoredJobs[index] = uploadJobId;
        SentNow[index] = sentNow;
    }
}

/// <summary>
/// Sends a file of more than <paramref name="OverBytes"/> to the hub before it is taken, hashing it while it is read
/// for sending: <paramref name="SendAsync"/> returns its SHA-256 once the hub stored it, or null when it was not sent
/// (the caller hashes it then). See <see cref="OutboxIntake.PrepareCopiesAsync"/>.
/// </summary>
internal sealed record SendAhead(long OverBytes, Func<OutboxItem, CancellationToken, Task<string?>> SendAsync);
