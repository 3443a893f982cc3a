using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// One <c>lxa-node push</c>: through the same outbox path as the watcher. Each file is hashed (cached by its
/// identity), offered to the hub first (content it already stores is not taken at all), then hard-linked
/// into the outbox (copied across file systems); the originals stay. A large file without a cached hash is instead
/// sent while it is hashed (offered without SHA-256, the hash sent last), unless the hub needs the hash first. The
/// files are taken in slices, and what one slice took is sent while the next is taken. Exit code 0 only when every
/// file has a hub receipt.
/// </summary>
internal sealed class PushRun(
    OutboxInitializer initializer, OutboxIntake intake, OutboxStore outbox, ItemSender sender, SyncWorker worker, NodeSettings settings)
{
    public const int UndeliveredExitCode = 1;

    /// <summary>
    /// Files in the first slice taken; each next slice is twice as large, up to <see cref="MaxSlice"/>. The first is
    /// small so sending starts soon; taking a slice waits mostly on fsyncs (of each linked file, the outbox folder
    /// and the outbox's commits), which the sending overlaps. Taking everything first had left the hub idle for
    /// about a fifth of a push of 1,000 small files (docs/performance.md).
    /// </summary>
    public const int FirstSlice = 32;

    /// <summary>The largest slice: a few durable commits per this many files.</summary>
    public const int MaxSlice = 256;

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

        // Written by the intake only, read once it has finished: file name and size per item, in the files' order.
        var items = new Dictionary<Guid, (string Name, long Size)>();
        var taken = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleWriter = true });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        var sizes = artifacts.Select(a => new FileInfo(a.SourcePath).Length).ToArray();
        var reporter = new PushProgress(sizes.Sum(), Console.IsOutputRedirected);
        var taking = TakeInSlicesAsync(artifacts, sizes, concurrency, items, taken.Writer, reporter, deadline.Token, cancellationToken);
        await worker.RunAsync(new HashSet<Guid>(), deadline.Token, reporter, concurrency, taken.Reader);

        // A failure while taking (a file removed meanwhile) fails the push here, once what earlier slices took is sent.
        await taking;
        reporter.Finish();
        return await ReportAsync(items);
    }

    /// <summary>
    /// Takes the files slice by slice (all hashed, offered and recorded with a few durable commits per slice) and
    /// hands each item that still needs sending to the worker as soon as its slice is taken.
    /// </summary>
    private async Task TakeInSlicesAsync(
        List<OutboxArtifact> artifacts,
        long[] sizes,
        int concurrency,
        Dictionary<Guid, (string Name, long Size)> items,
        ChannelWriter<Guid> taken,
        PushProgress progress,
        CancellationToken sendUntil,
        CancellationToken cancellationToken)
    {
        try
        {
            var hubAnswers = new StrongBox<bool>(true);

            // A large file without a cached hash is sent while it is hashed, in the same read (ItemSender.SendAheadAsync),
            // until the push's --timeout; a file whose sending it cuts short is hashed and taken, and stays queued.
            var sendAhead = new SendAhead(ItemSender.DeliverMaxBytes, async (unhashed, token) =>
            {
                if (!hubAnswers.Value || sendUntil.IsCancellationRequested)
                {
                    return null;
                }

                using var both = CancellationTokenSource.CreateLinkedTokenSource(token, sendUntil);
                try
                {
                    return await sender.SendAheadAsync(unhashed, new Progress<long>(bytes => progress.Report((unhashed.Id, bytes))), both.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or Grpc.Core.RpcException or IOException or HttpRequestException
                    && sendUntil.IsCancellationRequested && !token.IsCancellationRequested)
                {
                    return null;
                }
            });
            for (int start = 0, size = FirstSlice; start < artifacts.Count; start += size, size = Math.Min(size * 2, MaxSlice))
            {
                var slice = artifacts.GetRange(start, Math.Min(size, artifacts.Count - start));
                var batch = await intake.PrepareCopiesAsync(slice, concurrency, cancellationToken, sendAhead);
                await OfferAheadAsync(batch, concurrency, hubAnswers, cancellationToken);
                var admitted = await intake.TakeCopiesAsync(batch, concurrency, cancellationToken);
                for (var i = 0; i < slice.Count; i++)
                {
                    var (outcome, id) = admitted[i];
                    items[id] = (Path.GetFileName(slice[i].SourcePath), sizes[start + i]);
                    if (await NeedsSendingAsync(outcome, id, cancellationToken))
                    {
                        taken.TryWrite(id);
                    }
                }
            }

            taken.Complete();
        }
        catch (Exception ex)
        {
            taken.Complete(ex);
            throw;
        }
    }

    /// <summary>Taken now, or a duplicate of an item not yet delivered; not what the hub already stores.</summary>
    private async Task<bool> NeedsSendingAsync(AdmitOutcome outcome, Guid id, CancellationToken cancellationToken) => outcome switch
    {
        AdmitOutcome.Admitted => true,
        AdmitOutcome.Duplicate when id != Guid.Empty => (await outbox.GetAsync(id, cancellationToken))?.State != OutboxState.Done,
        _ => false,
    };

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
    private Task OfferAheadAsync(CopyBatch batch, int concurrency, StrongBox<bool> hubAnswers, CancellationToken cancellationToken)
    {
        return Parallel.ForEachAsync(batch.Candidates,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (candidate, token) =>
            {
                // One failed offer (hub down) is enough: the rest are queued without asking and sent by the worker
                // (offers already in flight finish). Small files are not offered ahead: taking one costs a hard
                // link, and its one Deliver call answers with the stored job when the hub has the content already.
                if (sender.TakeSentAhead(candidate.Id) is { } sentJob)
                {
                    batch.MarkStored(candidate, sentJob, sentNow: true);
                    return;
                }

                if (!hubAnswers.Value || candidate.SizeBytes <= ItemSender.DeliverMaxBytes)
                {
                    return;
                }

                var (answered, job) = await sender.OfferAheadAsync(candidate, token);
                if (!answered)
                {
                    hubAnswers.Value = false;
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
