using System.Text.Json;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Node.Watcher;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>A data root in a temp directory, a fake outbox, captured logs and a watcher over them.</summary>
internal sealed class WatcherHarness : IAsyncDisposable
{
    private readonly ILoggerFactory loggerFactory;

    public WatcherHarness(Func<NodeSettings, NodeSettings>? configure = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Paths = RuntimeSettingsResolver.Resolve(name => name == "LX_ANNOTATE_ENCRYPTED_DATA_DIR" ? Temp.Path : null).Paths;
        Paths.EnsureCreated();
        var settings = new NodeSettings
        {
            HubSocketPath = Temp.Combine("run", "hub.sock"),
            OutboxDir = Temp.Combine("node", "outbox"),
            OutboxDatabase = Temp.Combine("node", "outbox.sqlite3"),
            StableAfter = TimeSpan.FromMilliseconds(200),
            PollInterval = TimeSpan.FromMilliseconds(100),
            SidecarWait = TimeSpan.FromSeconds(30),
            SourceSystem = "node-test",
        };
        Settings = configure is null ? settings : configure(settings);
        Outbox = new FakeOutbox(Temp.Combine("admitted"));
        loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        var quarantine = new QuarantineStore(Paths, Time, loggerFactory.CreateLogger<QuarantineStore>());
        Watcher = new DropFolderWatcher(Paths, Settings, Outbox, quarantine, Time, loggerFactory.CreateLogger<DropFolderWatcher>());
    }

    public TempDirectory Temp { get; } = new();

    public TimeProvider Time { get; }

    public DataPaths Paths { get; }

    public NodeSettings Settings { get; }

    public FakeOutbox Outbox { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public DropFolderWatcher Watcher { get; }

    public string Video(string name) => Path.Combine(Paths.VideoImport, name);

    public string Report(string name) => Path.Combine(Paths.ReportImport, name);

    public string Preanonymized(string name) => Path.Combine(Paths.PreanonymizedImport, name);

    public string Quarantined(string name) => Path.Combine(Paths.QuarantineDir, name);

    public Task StartAsync() => Watcher.StartAsync(CancellationToken.None);

    /// <summary>Gives the watcher time for several scans after the last change it could react to.</summary>
    public Task SettleAsync() => Task.Delay(Settings.StableAfter + (4 * Settings.PollInterval) + TimeSpan.FromMilliseconds(300));

    public bool ArtifactTaken(string name) => Outbox.Artifacts.Any(a => Path.GetFileName(a.SourcePath) == name);

    public JsonElement ReadReason(string quarantinedName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Quarantined(quarantinedName) + ".reason.json"));
        return document.RootElement.Clone();
    }

    public string ReasonWhat(string quarantinedName) => ReadReason(quarantinedName).GetProperty("what").GetString()!;

    public string ReasonWhy(string quarantinedName) => ReadReason(quarantinedName).GetProperty("why").GetString()!;

    /// <summary>The file and a complete reason file are in quarantine (the reason is written after the move).</summary>
    public bool IsQuarantined(string name)
    {
        if (!Path.Exists(Quarantined(name)) && new FileInfo(Quarantined(name)).LinkTarget is null)
        {
            return false;
        }

        try
        {
            return ReadReason(name).TryGetProperty("boundary", out _);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Watcher.StopAsync(stop.Token);
        }

        Watcher.Dispose();
        loggerFactory.Dispose();
        Logs.Dispose();
        Temp.Dispose();
    }
}
