using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// One <c>lxa-node push</c>: through the same outbox path as the watcher. Each file is hashed (cached by its
/// identity), offered to the hub first (content it already stores is not taken at all), then hard-linked
/// into the outbox (copied across file systems); the originals stay. Exit code 0 only when every file has a
/// hub receipt.
/// </summary>
internal sealed class PushRun(
    OutboxInitializer initializer, OutboxIntake intake, OutboxStore outbox, ItemSender sender, SyncWorker worker, NodeSettings settings)
{
    public const int UndeliveredExitCode = 1;

    public async Task<int> RunAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await initializer.InitializeAsync(cancellationToken);
        if (request.Parallel is < 0 or > 64)
        {
            await Console.Error.WriteLineAsync($"lxa-node: --parallel {request.Parallel}: must be between 1 and 64");
            return UndeliveredExitCode;
        }

        var concurrency = request.Parallel > 0 ? request.Parallel : Math.Max(settings.SyncConcurrency, 8);
        var artifacts = await ArtifactsAsync(request);
        if (artifacts is null)
        {
            return UndeliveredExitCode;
        }

        // All files are taken together: hashed, offered (up to `concurrency` offers in flight on the one
        // channel) and recorded with a few durable commits for the whole list.
        var batch = await intake.PrepareCopiesAsync(artifacts, concurrency, cancellationToken);
        await OfferAheadAsync(batch, concurrency, cancellationToken);
        var admitted = await intake.TakeCopiesAsync(batch, concurrency, cancellationToken);
        var items = new Dictionary<Guid, (string Name, long Size)>();
        for (var i = 0; i < artifacts.Count; i++)
        {
            items[admitted[i].ItemId] = (Path.GetFileName(artifacts[i].SourcePath), new FileInfo(artifacts[i].SourcePath).Length);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        var reporter = new PushProgress(items, Console.IsOutputRedirected);
        var already = (await outbox.ListAsync(cancellationToken)).Where(i => items.ContainsKey(i.Id) && i.State == OutboxState.Done).Select(i => i.Id);
        var toSend = items.Keys.Except(already).ToHashSet();
        await worker.RunAsync(toSend, deadline.Token, reporter, concurrency);
        reporter.Finish();
        return await ReportAsync(items);
    }

    /// <summary>The artifacts to take, or null (after one line on stderr) when a file is missing or of an unknown type.</summary>
    private async Task<List<OutboxArtifact>?> ArtifactsAsync(PushRequest request)
    {
        var artifacts = new List<OutboxArtifact>();
        foreach (var file in request.Files)
        {
            var type = request.ContentType ?? ContentTypes.ForFile(file.FullName);
            if (!file.Exists || type is null)
            {
                await Console.Error.WriteLineAsync(!file.Exists
                    ? $"lxa-node: {file.FullName}: no such file"
                    : $"lxa-node: {file.FullName}: unknown type; pass --content-type");
                return null;
            }

            artifacts.Add(new OutboxArtifact(file.FullName, type, OutboxArtifact.PushEntrypoint, request.CenterKey, request.SourceSystem ?? settings.SourceSystem));
        }

        return artifacts;
    }

    /// <summary>Asks the hub about each file before it is taken; what it already stores is recorded as delivered.</summary>
    private Task OfferAheadAsync(CopyBatch batch, int concurrency, CancellationToken cancellationToken)
    {
        var hubAnswers = true;
        return Parallel.ForEachAsync(batch.Candidates,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (candidate, token) =>
            {
                // One failed offer (hub down) is enough: the rest are queued without asking and sent by the worker
                // (offers already in flight finish). Small files are not offered ahead: taking one costs a hard
                // link, and its one Deliver call answers with the stored job when the hub has the content already.
                if (!hubAnswers || candidate.SizeBytes <= ItemSender.DeliverMaxBytes)
                {
                    return;
                }

                var (answered, job) = await sender.OfferAheadAsync(candidate, token);
                if (!answered)
                {
                    hubAnswers = false;
                }

                if (job is not null)
                {
                    batch.MarkStored(candidate, job);
                }
            });
    }

    private async Task<int> ReportAsync(IReadOnlyDictionary<Guid, (string Name, long Size)> items)
    {
        var exit = 0;
        var notAccepted = false;
        foreach (var (id, (name, _)) in items)
        {
            var item = await outbox.GetAsync(id, CancellationToken.None);
            if (item?.State == OutboxState.Done)
            {
                Console.WriteLine($"{name}: delivered, upload job {item.UploadJobId}");
            }
            else
            {
                Console.WriteLine($"{name}: NOT delivered ({item?.State ?? "unknown"}): {item?.LastError ?? "timed out"}");
                exit = UndeliveredExitCode;
                notAccepted |= item?.LastError?.StartsWith($"{Grpc.Core.StatusCode.Unauthenticated}:", StringComparison.Ordinal) == true;
            }
        }

        if (notAccepted)
        {
            await Console.Error.WriteLineAsync(
                "lxa-node: the hub does not accept this node's certificate (revoked, expired or unknown, or the node is deactivated); " +
                "the files stay queued and `lxa-node run` sends them once the hub operator restores the node or a new certificate is enrolled");
        }

        return exit;
    }
}
