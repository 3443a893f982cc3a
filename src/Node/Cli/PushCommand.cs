using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.Cli;

/// <summary>
/// <c>lxa-node push FILE…</c>: one-shot upload through the same outbox path as the watcher. Each file is
/// hashed (cached by its identity), offered to the hub first (content it already stores is not taken at
/// all), then hard-linked into the outbox (copied across file systems); the originals stay. Exit code 0
/// only when every file has a hub receipt.
/// </summary>
internal static class PushCommand
{
    public const int UndeliveredExitCode = 1;

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Files to send." };
        var centerKey = new Option<string?>("--center-key") { Description = "Center to declare (default: the node's own)." };
        var sourceSystem = new Option<string?>("--source-system") { Description = "Source system to report." };
        var contentType = new Option<string?>("--content-type") { Description = "Media type, when the extension does not tell." };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Files sent at once over the one connection (1-64; default: LXA_NODE_SYNC_CONCURRENCY, at least 8).",
        };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds (items stay queued for `run`).", DefaultValueFactory = _ => 3600 };
        var command = new Command("push", "Send files to the hub now, through the outbox; resumable.");
        command.Arguments.Add(files);
        command.Options.Add(centerKey);
        command.Options.Add(sourceSystem);
        command.Options.Add(contentType);
        command.Options.Add(timeout);
        command.Options.Add(parallel);
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(async () =>
        {
            using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult)).Build();
            var settings = host.Services.GetRequiredService<NodeSettings>();
            var outbox = host.Services.GetRequiredService<OutboxStore>();
            await outbox.InitializeAsync(cancellationToken);

            var chosen = parseResult.GetValue(parallel);
            if (chosen is < 0 or > 64)
            {
                await Console.Error.WriteLineAsync($"lxa-node: --parallel {chosen}: must be between 1 and 64");
                return UndeliveredExitCode;
            }

            var concurrency = chosen > 0 ? chosen : Math.Max(settings.SyncConcurrency, 8);
            var items = new Dictionary<Guid, (string Name, long Size)>();
            var sender = host.Services.GetRequiredService<ItemSender>();
            var hubAnswers = true;
            async Task<string?> AskHubAsync(OutboxItem offered, CancellationToken token)
            {
                // One failed offer (hub down) is enough: the rest are queued without asking and sent by the worker
                // (offers already in flight finish). Small files are not offered ahead: taking one costs a hard
                // link, and its one Deliver call answers with the stored job when the hub has the content already.
                if (!hubAnswers || offered.SizeBytes <= ItemSender.DeliverMaxBytes)
                {
                    return null;
                }

                var (answered, job) = await sender.OfferAheadAsync(offered, token);
                if (!answered)
                {
                    hubAnswers = false;
                }

                return job;
            }

            var artifacts = new List<OutboxArtifact>();
            foreach (var file in parseResult.GetValue(files)!)
            {
                var type = parseResult.GetValue(contentType) ?? ContentTypes.ForFile(file.FullName);
                if (!file.Exists || type is null)
                {
                    await Console.Error.WriteLineAsync(!file.Exists
                        ? $"lxa-node: {file.FullName}: no such file"
                        : $"lxa-node: {file.FullName}: unknown type; pass --content-type");
                    return UndeliveredExitCode;
                }

                artifacts.Add(new OutboxArtifact(file.FullName, type, OutboxArtifact.PushEntrypoint, parseResult.GetValue(centerKey),
                    parseResult.GetValue(sourceSystem) ?? settings.SourceSystem));
            }

            // All files are taken together: hashed, offered (up to `concurrency` offers in flight on the one
            // channel) and recorded with a few durable commits for the whole list.
            var admitted = await outbox.AdmitCopiesAsync(artifacts, concurrency, AskHubAsync, cancellationToken);
            for (var i = 0; i < artifacts.Count; i++)
            {
                items[admitted[i].ItemId] = (Path.GetFileName(artifacts[i].SourcePath), new FileInfo(artifacts[i].SourcePath).Length);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(parseResult.GetValue(timeout)));
            var reporter = new ProgressReporter(items, Console.IsOutputRedirected);
            var already = (await outbox.ListAsync(cancellationToken)).Where(i => items.ContainsKey(i.Id) && i.State == OutboxState.Done).Select(i => i.Id);
            var toSend = items.Keys.Except(already).ToHashSet();
            await host.Services.GetRequiredService<SyncWorker>().RunAsync(toSend, deadline.Token, reporter, concurrency);
            reporter.Finish();

            var exit = 0;
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
                }
            }

            return exit;
        }));
        return command;
    }

    /// <summary>A progress bar on a terminal; plain lines (at most one per 5 s) when output is redirected.</summary>
    private sealed class ProgressReporter(IReadOnlyDictionary<Guid, (string Name, long Size)> items, bool plain) : IProgress<(Guid Item, long Bytes)>
    {
        private readonly Dictionary<Guid, long> sent = [];
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly long total = items.Values.Sum(i => i.Size);
        private TimeSpan lastLine = TimeSpan.Zero;

        public void Report((Guid Item, long Bytes) value)
        {
            lock (sent)
            {
                sent[value.Item] = value.Bytes;
                var done = sent.Values.Sum();
                var elapsed = clock.Elapsed;
                if (plain && elapsed - lastLine < TimeSpan.FromSeconds(5) && done < total)
                {
                    return;
                }

                lastLine = elapsed;
                var rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
                var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
                var percent = total == 0 ? 100 : done * 100 / total;
                var line = string.Create(CultureInfo.InvariantCulture, $"{percent,3}% {Mib(done)}/{Mib(total)} MiB  {Mib((long)rate)} MiB/s  ETA {eta:hh\\:mm\\:ss}");
                if (plain)
                {
                    Console.WriteLine(line);
                }
                else
                {
                    var width = 30;
                    var filled = (int)(width * percent / 100);
                    Console.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {line}   ");
                }
            }
        }

        public void Finish()
        {
            if (!plain)
            {
                Console.WriteLine();
            }
        }

        private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
    }
}
