using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Enrollment;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using LxAnnotate.Hub.Operators.Secrets;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// The operator services (one per aggregate) on a migrated SQLite or PostgreSQL database, a node CA made
/// at test time (<see cref="TestPki"/>) and a clock the test moves. Each call runs in its own DI scope, as
/// each <c>lxa-hub</c> invocation does. <c>RunAsync(s =&gt; s.AddCenterAsync(…))</c> picks the service
/// by the method the lambda calls.
/// </summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public const string Actor = "operator-test";

    private readonly IngestHarness ingest;
    private readonly OperatorSettings settings;
    private readonly string caKeyFile;

    private OperatorHarness(IngestHarness ingest, TempDirectory files, TestPki pki, ManualTimeProvider clock, OperatorSettings settings)
    {
        this.ingest = ingest;
        this.settings = settings;
        Files = files;
        Pki = pki;
        Clock = clock;

        // Written once: concurrent calls read it, and a rewrite under a reader would truncate it.
        caKeyFile = pki.WriteCaKeyPem(files.Path);
    }

    public TempDirectory Files { get; }

    public TestPki Pki { get; }

    public ManualTimeProvider Clock { get; }

    public IEnumerable<LogLine> AuditLines => ingest.Logs.Lines.Where(l => l.Category == "LxAnnotate.Audit");

    public static async Task<OperatorHarness> CreateAsync(TestDatabaseKind kind, bool nodeCaConfigured = true)
    {
        // Whole seconds: both databases store them exactly, so stored times compare equal to the clock.
        var now = DateTimeOffset.UtcNow;
        var clock = new ManualTimeProvider(new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var ingest = await IngestHarness.CreateAsync(kind, time: clock);
        var files = new TempDirectory();
        var pki = new TestPki();
        var caFile = pki.WriteCaPem(files.Path);
        return new OperatorHarness(ingest, files, pki, clock, new OperatorSettings(nodeCaConfigured ? caFile : null));
    }

    public Task<T> RunAsync<T>(Func<CenterOperations, Task<T>> action) => InScopeAsync(action);

    public Task<T> RunAsync<T>(Func<NodeOperations, Task<T>> action) => InScopeAsync(action);

    public Task<T> RunAsync<T>(Func<EnrollmentTokenOperations, Task<T>> action) => InScopeAsync(action);

    public Task<T> RunAsync<T>(Func<NodeSecretOperations, Task<T>> action) => InScopeAsync(action);

    public Task<T> RunAsync<T>(Func<CertificateOperations, Task<T>> action) => InScopeAsync(action, settings);

    /// <summary>Runs <paramref name="action"/> on an <see cref="EnrollmentService"/> signing with this harness's CA (or with no key, when <paramref name="withCaKey"/> is false).</summary>
    public async Task<T> EnrollmentAsync<T>(Func<EnrollmentService, Task<T>> action, bool withCaKey = true, int days = 365)
    {
        ArgumentNullException.ThrowIfNull(action);
        var signing = new NodeSigningSettings(settings.NodeCaFile, withCaKey ? caKeyFile : null, days);
        await using var scope = ingest.Services.CreateAsyncScope();
        var service = ActivatorUtilities.CreateInstance<EnrollmentService>(scope.ServiceProvider, signing);
        return await action(service);
    }

    /// <summary>Runs <paramref name="action"/> and returns the refusal it must end in.</summary>
    public Task<OperatorException> RefusedAsync<T>(Func<CenterOperations, Task<T>> action) => Refused(() => RunAsync(action));

    /// <inheritdoc cref="RefusedAsync{T}(Func{CenterOperations, Task{T}})"/>
    public Task<OperatorException> RefusedAsync<T>(Func<NodeOperations, Task<T>> action) => Refused(() => RunAsync(action));

    /// <inheritdoc cref="RefusedAsync{T}(Func{CenterOperations, Task{T}})"/>
    public Task<OperatorException> RefusedAsync<T>(Func<EnrollmentTokenOperations, Task<T>> action) => Refused(() => RunAsync(action));

    /// <inheritdoc cref="RefusedAsync{T}(Func{CenterOperations, Task{T}})"/>
    public Task<OperatorException> RefusedAsync<T>(Func<NodeSecretOperations, Task<T>> action) => Refused(() => RunAsync(action));

    /// <inheritdoc cref="RefusedAsync{T}(Func{CenterOperations, Task{T}})"/>
    public Task<OperatorException> RefusedAsync<T>(Func<CertificateOperations, Task<T>> action) => Refused(() => RunAsync(action));

    public Task<CenterView> AddCenterAsync(string centerKey = "center-a") =>
        RunAsync(s => s.AddCenterAsync(centerKey, "Center " + centerKey, null, Actor, CancellationToken.None));

    public Task<NodeView> AddNodeAsync(string nodeKey = "site-a", string centerKey = "center-a") =>
        RunAsync(s => s.AddNodeAsync(nodeKey, centerKey, null, Actor, CancellationToken.None));

    public Task<CertificateView> AddCertificateAsync(string nodeKey, X509Certificate2 certificate) =>
        RunAsync(s => s.AddCertificateAsync(nodeKey, WritePem(certificate), Actor, CancellationToken.None));

    /// <summary>A good node certificate from the node CA, valid for a year (so not "expiring").</summary>
    public X509Certificate2 IssueNode(string nodeKey) => Pki.IssueNode(nodeKey, notAfter: Clock.Now.AddDays(365));

    /// <summary>Writes the certificate (without its key) as PEM and returns the path.</summary>
    public string WritePem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var path = Files.Combine(Guid.NewGuid().ToString("N") + ".crt.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    public Task<List<AuditEvent>> AuditEventsAsync() =>
        ingest.WithDbAsync(db => db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).ToListAsync());

    public Task<T> WithDbAsync<T>(Func<Hub.Data.LxaDbContext, Task<T>> action) => ingest.WithDbAsync(action);

    public async ValueTask DisposeAsync()
    {
        await ingest.DisposeAsync();
        Pki.Dispose();
        Files.Dispose();
    }

    private static Task<OperatorException> Refused(Func<Task> run) => Assert.ThrowsAsync<OperatorException>(run);

    /// <param name="arguments">Constructor arguments the ingest services do not hold, besides the audit trail.</param>
    private async Task<T> InScopeAsync<TService, T>(Func<TService, Task<T>> action, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = ingest.Services.CreateAsyncScope();
        var trail = ActivatorUtilities.CreateInstance<OperatorAuditTrail>(scope.ServiceProvider);
        var service = ActivatorUtilities.CreateInstance<TService>(scope.ServiceProvider, [trail, .. arguments]);
        return await action(service);
    }
}
